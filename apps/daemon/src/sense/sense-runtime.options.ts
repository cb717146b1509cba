import type { WorkerHostTimings } from "./worker-host.types.js";

/** Injection token of the (optional) SenseRuntimeOptions. */
export const SENSE_RUNTIME_OPTIONS = Symbol("SENSE_RUNTIME_OPTIONS");

/** When a group's dead worker is restarted, and when the group gives up (SPEC §5). */
export interface RestartPolicy {
  /** First restart delay. Default 250 ms. */
  initialDelayMs: number;
  /** Longest restart delay (the delay doubles per death). Default 10 s. */
  maxDelayMs: number;
  /** A worker that ran this long before dying restarts with the initial delay again. Default 30 s. */
  stableAfterMs: number;
  /** This many deaths within `windowMs` disable the group. Default 5. */
  maxDeaths: number;
  /** Default 60 s. */
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 10_000,
  stableAfterMs: 30_000,
  maxDeaths: 5,
  windowMs: 60_000,
};

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
}
