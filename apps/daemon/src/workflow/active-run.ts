import type { StartMessage } from "@nerve/core";
import type { DropReason } from "./admission.js";
import type { WorkflowWorkerHandle } from "./workflow-host.types.js";

/** A run `started` in this daemon. */
export interface ActiveRun {
  runId: string;
  /** The worker running it; null while it waits for one. */
  host: WorkflowWorkerHandle | null;
  /** Role messages committed (or being committed). */
  rounds: number;
  resumes: number;
  /** Continue from the store (after a crash or a daemon restart) rather than from `start`. */
  resume: string | null;
  /** The start message of a run that never ran yet, so that its first dispatch needs no read. */
  start: StartMessage | null;
  /** Settles once everything this run committed so far is durable. Never rejects. */
  committed: Promise<void>;
  /** A dispatch waits for `committed`. */
  dispatching: boolean;
  /** Its end is being recorded: late messages and exits leave it alone. */
  ending: boolean;
}

export interface QueuedRun {
  runId: string;
  start: StartMessage | null;
}

/** What a dropped run's log row says, by reason. */
export const DROP_MESSAGES: Record<DropReason | "evicted", string> = {
  concurrency: "every concurrency slot was taken and overflow is drop",
  queue_full: "the queue holds no run (max_queue is 0)",
  disabled: "the workflow cannot start runs now and overflow is drop",
  evicted: "evicted from the full queue by a newer run",
};

/** A run that was never sent to a worker. */
export function newActive(
  runId: string,
  start: StartMessage | null,
  committed: Promise<void>,
): ActiveRun {
  return {
    runId,
    host: null,
    rounds: 0,
    resumes: 0,
    resume: null,
    start,
    committed,
    dispatching: false,
    ending: false,
  };
}

/** The promise, with its failure already reported elsewhere. */
export function quiet(promise: Promise<void>): Promise<void> {
  return promise.catch(() => undefined);
}
