import { IsOptional } from "./class-validator.js";

import { IsDuration, IsSize } from "./validators.js";

/** Keys allowed under `store`. */
export const STORE_KEYS = ["archive_after", "delete_archive_after", "max_size"] as const;

/** The retention settings of the store as written in nerve.yaml. */
export class StoreDto {
  @IsOptional()
  @IsDuration({ positive: true })
  archive_after?: unknown;

  @IsOptional()
  @IsDuration({ positive: true })
  delete_archive_after?: unknown;

  @IsOptional()
  @IsSize()
  max_size?: unknown;
}
