import type { NewLogRow } from "@nerve/core";
import type { WorkerExit } from "./forked-worker.types.js";
import type { RestartDecision } from "./restart-tracker.js";

/** What follows a worker's exit: a planned stop, a restart after a delay, or giving up. */
export type ExitFollowUp = { planned: true } | RestartDecision;

/** How the daemon log tells an exit: `worker 4242 was killed by SIGKILL`. */
export function describeWorkerExit(info: WorkerExit<string>): string {
  const how =
    info.signal !== null ? `was killed by ${info.signal}` : `exited with code ${info.code ?? "?"}`;
  return `worker ${info.pid ?? "(never started)"} ${how}`;
}

/** The fields every `worker.exit` log row has after its owner's name, in the row's order. */
export function workerExitFields(
  info: WorkerExit<string>,
): Pick<WorkerExit<string>, "pid" | "code" | "signal" | "reason"> {
  return { pid: info.pid, code: info.code, signal: info.signal, reason: info.reason };
}

/**
 * Appends a row to the log store. After the store closed (late exits at shutdown) the daemon
 * log still has the line; it says so under `tag` instead of throwing.
 */
export function appendOrWarn(
  logStore: { append(row: NewLogRow): void },
  daemonLog: { warn(tag: string, message: string): void },
  tag: string,
  row: NewLogRow,
): void {
  try {
    logStore.append(row);
  } catch (error) {
    daemonLog.warn(tag, `could not append a ${row.type} row: ${(error as Error).message}`);
  }
}
