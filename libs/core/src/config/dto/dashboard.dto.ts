import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from "./class-validator.js";

import { expected } from "./validators.js";

/** Keys allowed under `dashboard`. */
export const DASHBOARD_KEYS = ["port", "host"] as const;

const portMessage = expected("a TCP port, an integer from 0 (any free port) to 65535");
const hostMessage = expected("an address to listen on, such as 127.0.0.1 or ::1");

/** The dashboard's settings as written in nerve.yaml. */
export class DashboardDto {
  @IsOptional()
  @IsInt({ message: portMessage })
  @Min(0, { message: portMessage })
  @Max(65_535, { message: portMessage })
  port?: unknown;

  @IsOptional()
  @IsString({ message: hostMessage })
  @IsNotEmpty({ message: hostMessage })
  host?: unknown;
}
