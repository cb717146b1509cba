import {
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  type ValidationArguments,
} from "./class-validator.js";

import { expected, IsDuration, required } from "./validators.js";

/** Keys allowed in one item of `reflexes`. */
export const REFLEX_KEYS = ["kind", "sense", "interval", "on"] as const;

/** The reflex kinds there are; a reflex schedules a sense. */
export const REFLEX_KINDS = ["sense"] as const;

/** Why a reflex cannot name a workflow, and how workflows start instead. */
export const REFLEXES_ONLY_SCHEDULE_SENSES =
  'reflexes only schedule senses; a workflow starts when a sense returns a `workflow: "name|maxRounds|prompt"` ' +
  "directive, or by hand with `nerve workflow trigger <name>`";

const kindMessage = (args: ValidationArguments): string =>
  args.value === "workflow"
    ? `expected "sense" (the only kind), got "workflow": ${REFLEXES_ONLY_SCHEDULE_SENSES}`
    : expected('"sense" (the only kind)')(args);

/** One reflex as written in nerve.yaml. */
export class ReflexDto {
  @IsDefined({ message: required("kind", '"sense" (the only kind)') })
  @IsIn(REFLEX_KINDS, { message: kindMessage })
  kind?: unknown;

  @IsDefined({ message: required("sense", "the name of a declared sense") })
  @IsString({ message: expected("the name of a declared sense") })
  sense?: unknown;

  @IsOptional()
  @IsDuration({ positive: true })
  interval?: unknown;

  @IsOptional()
  @IsArray({ message: expected("a list of sense names such as [disk-pressure]") })
  on?: unknown;
}
