import type { SenseTrigger } from "@nerve/core";
import type { ProcessForker } from "./process-forker.js";
import type { ComputeOutcome, SerializedError } from "./sense-runtime.types.js";
import type { SenseInitFailure, WorkerInit, WorkerLogLine } from "./worker/messages.js";

/**
 * Why a worker process ended: `stopped` — asked to (shutdown, reload); `killed` — a compute
 * ignored its abort after its timeout; `init-failed` — it never became ready; `exited` — it
 * died on its own (crash, `process.exit`, a fatal error).
 */
export type WorkerExitReason = "stopped" | "killed" | "init-failed" | "exited";

export interface WorkerExitInfo {
  group: string;
  pid: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: WorkerExitReason;
  /** The fatal error the worker reported before it exited, if it did. */
  fatal: SerializedError | null;
  /** How long it had been ready, or null if it never was. */
  uptimeMs: number | null;
}

/** What a worker tells its owner besides compute answers. */
export interface WorkerHostListener {
  exit(info: WorkerExitInfo): void;
  log(line: WorkerLogLine): void;
  output(stream: "stdout" | "stderr", line: string): void;
}

/** One sense group's worker as its supervisor sees it (WorkerHost, or a fake in unit specs). */
export interface SenseWorkerHandle {
  readonly pid: number | null;
  /** Computes sent and not yet answered (timed-out ones included until they settle). */
  readonly inFlight: number;
  /** Forks and initialises the worker; resolves with the senses it could not load. */
  start(): Promise<SenseInitFailure[]>;
  /** Never rejects. */
  compute(sense: string, trigger: SenseTrigger, timeoutMs: number): Promise<ComputeOutcome>;
  /** Resolves once nothing is in flight. */
  whenIdle(): Promise<void>;
  /** Shutdown, then SIGTERM, then SIGKILL; resolves when the process is gone. Idempotent. */
  stop(reason: string): Promise<WorkerExitInfo>;
}

/** Creates the worker of a group. */
export abstract class SenseWorkerFactory {
  /** Gets the worker entry ready (called once, before the first worker starts). */
  abstract prepare(): Promise<void>;
  abstract create(init: WorkerInit, listener: WorkerHostListener): SenseWorkerHandle;
}

/** Timings of a worker host; the defaults are SPEC §5's. */
export interface WorkerHostTimings {
  /** Longest wait for Ready after the fork. Default 10 s. */
  initTimeoutMs: number;
  /** How long a timed-out compute may take to settle before the worker is killed. Default 1 s. */
  abortGraceMs: number;
  /** After Shutdown, how long until SIGTERM. Default 2 s. */
  stopGraceMs: number;
  /** After SIGTERM, how long until SIGKILL. Default 1 s. */
  killGraceMs: number;
}

export const DEFAULT_WORKER_TIMINGS: WorkerHostTimings = {
  initTimeoutMs: 10_000,
  abortGraceMs: 1_000,
  stopGraceMs: 2_000,
  killGraceMs: 1_000,
};

export interface WorkerHostOptions {
  init: WorkerInit;
  /** The built worker entry (see senseWorkerFile). */
  workerFile: string;
  forker: ProcessForker;
  clock: { now(): number };
  listener: WorkerHostListener;
  env?: NodeJS.ProcessEnv;
  timings?: Partial<WorkerHostTimings>;
}

/**
 * The lifecycle of a worker host:
 * `new` → start() → `starting` → Ready → `ready` → stop() → `stopping` → `exited`.
 * Any state ends in `exited` when the process dies; a host is never started twice.
 */
export type WorkerHostState = "new" | "starting" | "ready" | "stopping" | "exited";
