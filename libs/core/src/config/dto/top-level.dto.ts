import { IsArray, IsInt, IsOptional, Max, Min } from "./class-validator.js";

import { MAX_ROUNDS_RANGE } from "../defaults.js";
import { expected } from "./validators.js";

/** Keys allowed at the top of nerve.yaml. */
export const TOP_LEVEL_KEYS = [
  "max_rounds",
  "senses",
  "reflexes",
  "workflows",
  "modules",
  "federation",
  "store",
  "dashboard",
] as const;

const roundsMessage = expected(
  `an integer from ${String(MAX_ROUNDS_RANGE.min)} to ${String(MAX_ROUNDS_RANGE.max)}`,
);

/** The scalar top-level settings; `senses`, `reflexes` and `workflows` are checked per entry. */
export class TopLevelDto {
  @IsOptional()
  @IsInt({ message: roundsMessage })
  @Min(MAX_ROUNDS_RANGE.min, { message: roundsMessage })
  @Max(MAX_ROUNDS_RANGE.max, { message: roundsMessage })
  max_rounds?: unknown;

  @IsOptional()
  @IsArray({ message: expected("a list of module paths such as [modules/audit.module.ts]") })
  modules?: unknown;
}
