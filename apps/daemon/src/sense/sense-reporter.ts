import { Injectable } from "@nestjs/common";
import type { NewLogRow } from "@nerve/core";
import { LogStore } from "@nerve/store";
import { Clock } from "../kernel/clock.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import {
  appendOrWarn,
  describeWorkerExit,
  workerExitFields,
  type ExitFollowUp,
} from "../process/worker-exit.js";
import type { SerializedError } from "./sense-runtime.types.js";
import type { WorkerExitInfo } from "./worker-host.types.js";
import type { WorkerLogLine } from "./worker/messages.js";

/** Why a sense cannot run: its file does not compile, or the worker could not load it. */
export type SensePhase = "compile" | "init";

/** Where a sense group tells what happens to it (SenseReporter; a recorder in unit specs). */
export interface GroupReporter {
  workerExit(info: WorkerExitInfo, next: ExitFollowUp): void;
  senseUnavailable(sense: string, phase: SensePhase, error: SerializedError): void;
  senseLog(line: WorkerLogLine): void;
  workerOutput(group: string, stream: "stdout" | "stderr", line: string): void;
}

/**
 * Writes what happens to sense groups into the log store (`worker.exit`, `sense.error` rows,
 * source `daemon` and `sense:<name>`) and the daemon log (`[group:<name>]`, `[sense:<name>]`).
 */
@Injectable()
export class SenseReporter implements GroupReporter {
  constructor(
    private readonly logStore: LogStore,
    private readonly daemonLog: DaemonLog,
    private readonly clock: Clock,
  ) {}

  workerExit(info: WorkerExitInfo, next: ExitFollowUp): void {
    const tag = `group:${info.group}`;
    const what = describeWorkerExit(info);
    const fatal = info.fatal === null ? "" : `: ${info.fatal.message}`;
    const payload: Record<string, unknown> = { group: info.group, ...workerExitFields(info) };
    if ("planned" in next) {
      this.daemonLog.info(tag, `${what} (${info.reason})`);
    } else if ("restartInMs" in next) {
      payload.restartInMs = next.restartInMs;
      this.daemonLog.error(
        tag,
        `${what} (${info.reason})${fatal}; restarting in ${next.restartInMs} ms`,
        info.fatal?.stack,
      );
    } else {
      payload.disabled = true;
      this.daemonLog.error(
        tag,
        `${what} (${info.reason})${fatal}; group disabled: ${next.reason}`,
        info.fatal?.stack,
      );
    }
    this.append({ source: "daemon", type: "worker.exit", payload });
  }

  senseUnavailable(sense: string, phase: SensePhase, error: SerializedError): void {
    this.daemonLog.error(
      `sense:${sense}`,
      `${error.message} (sense disabled until its files change)`,
      phase === "init" ? error.stack : undefined,
    );
    this.append({
      source: `sense:${sense}`,
      type: "sense.error",
      payload: { phase, name: error.name, message: error.message, stack: error.stack ?? null },
    });
  }

  senseLog(line: WorkerLogLine): void {
    this.daemonLog[line.level](`sense:${line.sense}`, line.message);
  }

  workerOutput(group: string, stream: "stdout" | "stderr", line: string): void {
    if (stream === "stdout") this.daemonLog.info(`group:${group}`, line);
    else this.daemonLog.warn(`group:${group}`, line);
  }

  private append(row: NewLogRow): void {
    appendOrWarn(this.logStore, this.daemonLog, "sense-runtime", { ts: this.clock.now(), ...row });
  }
}
