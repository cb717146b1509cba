import type { SenseTrigger } from "@nerve/core";
import {
  DEFAULT_FORKED_WORKER_TIMINGS,
  type ForkedWorkerListener,
  type ForkedWorkerOptions,
  type ForkedWorkerState,
  type ForkedWorkerTimings,
  type WorkerExit,
} from "../process/forked-worker.types.js";
import type { ComputeOutcome } from "./sense-runtime.types.js";
import type { SenseInitFailure, WorkerInit, WorkerLogLine } from "./worker/messages.js";

/**
 * Why a worker process ended: `stopped` — asked to (shutdown, reload); `killed` — a compute
 * ignored its abort after its timeout; `init-failed` — it never became ready; `exited` — it
 * died on its own (crash, `process.exit`, a fatal error).
 */
export type WorkerExitReason = "stopped" | "killed" | "init-failed" | "exited";

export interface WorkerExitInfo extends WorkerExit<WorkerExitReason> {
  group: string;
}

/** What a worker tells its owner besides compute answers. */
export interface WorkerHostListener extends ForkedWorkerListener<WorkerExitInfo> {
  log(line: WorkerLogLine): void;
}

/** One sense group's worker as its supervisor sees it (WorkerHost, or a fake in unit specs). */
export interface SenseWorkerHandle {
  readonly pid: number | null;
  /** Computes sent and not yet answered (timed-out ones included until they settle). */
  readonly inFlight: number;
  /** Forks and initialises the worker; resolves with the senses it could not load. */
  start(): Promise<SenseInitFailure[]>;
  /** Never rejects. `now`: the instant the compute is for (`ctx.now`), default when it is sent. */
  compute(
    sense: string,
    trigger: SenseTrigger,
    timeoutMs: number,
    now?: number,
  ): Promise<ComputeOutcome>;
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
export interface WorkerHostTimings extends ForkedWorkerTimings {
  /** How long a timed-out compute may take to settle before the worker is killed. Default 1 s. */
  abortGraceMs: number;
}

export const DEFAULT_WORKER_TIMINGS: WorkerHostTimings = {
  ...DEFAULT_FORKED_WORKER_TIMINGS,
  abortGraceMs: 1_000,
};

export interface WorkerHostOptions extends ForkedWorkerOptions {
  init: WorkerInit;
  listener: WorkerHostListener;
  timings?: Partial<WorkerHostTimings>;
}

/** The lifecycle of a worker host (see ForkedWorkerState). */
export type WorkerHostState = ForkedWorkerState;
