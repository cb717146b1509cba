import { formatDuration } from "@nerve/core";
import { SenseRuntimeError } from "./sense-runtime.error.js";

function exitStatus(code: number | null, signal: string | null): string {
  if (signal !== null) return `was killed by ${signal}`;
  return `exited with code ${code ?? "unknown"}`;
}

/** A worker did not become ready: it failed its init, exited, or did not answer in time. */
export class WorkerInitError extends SenseRuntimeError {
  constructor(
    readonly group: string,
    reason: string,
  ) {
    super(`worker of group ${group} did not start: ${reason}`);
  }
}

/** A worker died on its own while a compute was in flight. */
export class WorkerExitedError extends SenseRuntimeError {
  constructor(
    readonly group: string,
    readonly sense: string,
    readonly code: number | null,
    readonly signal: string | null,
    fatal: string | null,
  ) {
    super(
      `worker of group ${group} ${exitStatus(code, signal)} during the compute of ${sense}` +
        (fatal === null ? "" : ` (it reported: ${fatal})`),
    );
  }
}

/** A worker was killed because a compute ignored its abort; its other computes were cut short. */
export class WorkerKilledError extends SenseRuntimeError {
  constructor(
    readonly group: string,
    readonly sense: string,
    readonly culprit: string,
    graceMs: number,
  ) {
    super(
      `worker of group ${group} was killed during the compute of ${sense}: the compute of ` +
        `${culprit} did not settle within ${formatDuration(graceMs)} after its timeout aborted it`,
    );
  }
}

/** A compute outran its `timeout` (SPEC §5); its `ctx.signal` was aborted. */
export class ComputeTimeoutError extends SenseRuntimeError {
  constructor(
    readonly sense: string,
    readonly timeoutMs: number,
  ) {
    super(`compute of ${sense} exceeded its timeout of ${formatDuration(timeoutMs)}`);
  }
}

/** A compute in flight when its worker was stopped on purpose (shutdown, reload). */
export class ComputeCutShortError extends SenseRuntimeError {
  constructor(
    readonly sense: string,
    readonly group: string,
    reason: string,
  ) {
    super(`compute of ${sense} was cut short: the worker of group ${group} stopped (${reason})`);
  }
}

/** A compute that cannot run: unknown sense, sense or group disabled, runtime stopping. */
export class SenseUnavailableError extends SenseRuntimeError {
  constructor(
    readonly sense: string,
    reason: string,
  ) {
    super(`sense ${sense} is unavailable: ${reason}`);
  }
}
