import { IsOptional } from "./class-validator.js";

import { IsDuration, IsName } from "./validators.js";

/** Keys allowed under `senses.<name>`. */
export const SENSE_KEYS = ["group", "throttle", "timeout", "grace_period"] as const;

/** The settings of one sense as written in nerve.yaml. */
export class SenseDto {
  @IsOptional()
  @IsName("group")
  group?: unknown;

  @IsOptional()
  @IsDuration()
  throttle?: unknown;

  @IsOptional()
  @IsDuration({ positive: true })
  timeout?: unknown;

  @IsOptional()
  @IsDuration()
  grace_period?: unknown;
}
