import type { RestartPolicy } from "../process/restart-tracker.js";
import type { WorkerHostTimings } from "./worker-host.types.js";

/** Injection token of the (optional) SenseRuntimeOptions. */
export const SENSE_RUNTIME_OPTIONS = Symbol("SENSE_RUNTIME_OPTIONS");

/** Tuning of the sense runtime; every field has a default. */
export interface SenseRuntimeOptions {
  /** The worker entry to fork. Default: the built `dist/sense/worker/sense-worker.js`. */
  workerFile?: string;
  timings?: Partial<WorkerHostTimings>;
  restart?: Partial<RestartPolicy>;
  /** On reload, how long the old worker may finish its computes in flight. Default 5 s. */
  retireGraceMs?: number;
  /** At shutdown, how long computes in flight may finish (SPEC §8). Default 5 s. */
  drainMs?: number;
  /**
   * How many groups' workers may be starting (forked, not yet ready) at once; the others wait
   * their turn. Default: two per core.
   */
  workerStarts?: number;
}
