import type { ProcessForker } from "./process-forker.js";
import type { SerializedError } from "./serialized-error.js";

/**
 * The lifecycle of a worker host:
 * `new` → start() → `starting` → Ready → `ready` → stop() → `stopping` → `exited`.
 * Any state ends in `exited` when the process dies; a host is never started twice.
 */
export type ForkedWorkerState = "new" | "starting" | "ready" | "stopping" | "exited";

/** Timings every worker host has; the defaults are SPEC §5's. */
export interface ForkedWorkerTimings {
  /** Longest wait for Ready after the fork. Default 10 s. */
  initTimeoutMs: number;
  /** After Shutdown, how long until SIGTERM. Default 2 s. */
  stopGraceMs: number;
  /** After SIGTERM, how long until SIGKILL. Default 1 s. */
  killGraceMs: number;
}

export const DEFAULT_FORKED_WORKER_TIMINGS: ForkedWorkerTimings = {
  initTimeoutMs: 10_000,
  stopGraceMs: 2_000,
  killGraceMs: 1_000,
};

/** What a worker host tells its owner whatever the worker does. */
export interface ForkedWorkerListener<TExit> {
  exit(info: TExit): void;
  output(stream: "stdout" | "stderr", line: string): void;
}

/** What every worker host is created with. */
export interface ForkedWorkerOptions {
  /** The built worker entry, or its bundle. */
  workerFile: string;
  forker: ProcessForker;
  clock: { now(): number };
  env?: NodeJS.ProcessEnv;
}

/** What the owner of a worker learns when its process is gone. */
export interface WorkerExit<TReason extends string> {
  pid: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: TReason;
  /** The fatal error the worker reported before it exited, if it did. */
  fatal: SerializedError | null;
  /** How long it had been ready, or null if it never was. */
  uptimeMs: number | null;
}

/** How a worker's process ended, for the host to describe to its owner. */
export interface ProcessExit {
  pid: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** It was asked to stop (or stopped before it was forked). */
  stopped: boolean;
  /** It never became ready: its init failed or timed out, and it was killed for that. */
  initFailed: boolean;
  /** The fatal error the worker reported before it exited, if it did. */
  fatal: SerializedError | null;
  /** How long it had been ready, or null if it never was. */
  uptimeMs: number | null;
}
