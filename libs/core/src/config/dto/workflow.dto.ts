import { IsIn, IsInt, IsOptional, Min } from "./class-validator.js";

import { expected } from "./validators.js";

/** Keys allowed under `workflows.<name>`. */
export const WORKFLOW_KEYS = ["concurrency", "overflow", "max_queue", "placement"] as const;

/** What happens to a launch when `concurrency` runs are active. */
export const OVERFLOW_POLICIES = ["drop", "queue"] as const;

/** Where runs of a workflow execute: on this daemon, or on any daemon of the cluster that declares it. */
export const PLACEMENTS = ["local", "cluster"] as const;

const concurrencyMessage = expected("an integer >= 1");
const maxQueueMessage = expected("an integer >= 0");

/** The settings of one workflow as written in nerve.yaml. */
export class WorkflowDto {
  @IsOptional()
  @IsInt({ message: concurrencyMessage })
  @Min(1, { message: concurrencyMessage })
  concurrency?: unknown;

  @IsOptional()
  @IsIn(OVERFLOW_POLICIES, { message: expected('"drop" or "queue"') })
  overflow?: unknown;

  @IsOptional()
  @IsInt({ message: maxQueueMessage })
  @Min(0, { message: maxQueueMessage })
  max_queue?: unknown;

  @IsOptional()
  @IsIn(PLACEMENTS, { message: expected('"local" or "cluster"') })
  placement?: unknown;
}
