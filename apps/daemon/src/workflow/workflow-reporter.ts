import { Injectable } from "@nestjs/common";
import type { NewLogRow } from "@nerve/core";
import { LogStore } from "@nerve/store";
import { DaemonLog } from "../kernel/daemon-log.js";
import {
  appendOrWarn,
  describeWorkerExit,
  workerExitFields,
  type ExitFollowUp,
} from "../process/worker-exit.js";
import type { WorkflowWorkerExit } from "./workflow-host.types.js";
import type { RoleLogLine } from "./worker/messages.js";

/** What follows a workflow worker's exit. */
export type WorkflowExitFollowUp = ExitFollowUp;

/** Where a workflow supervisor tells what happens to it (WorkflowReporter; a recorder in specs). */
export interface WorkflowEvents {
  workerExit(info: WorkflowWorkerExit, next: WorkflowExitFollowUp): void;
  /** The workflow cannot run (compile error, invalid definition) until its files change. */
  unavailable(workflow: string, phase: "compile" | "init", message: string): void;
  info(workflow: string, message: string): void;
  error(workflow: string, message: string, stack?: string): void;
  roleLog(workflow: string, line: RoleLogLine): void;
  workerOutput(workflow: string, stream: "stdout" | "stderr", line: string): void;
}

/**
 * Writes what happens to workflow workers into the daemon log (`[workflow:<name>]`) and, for
 * worker exits and unusable definitions, into the log store (`worker.exit` with source
 * `daemon`, `workflow.error` with source `workflow:<name>`).
 */
@Injectable()
export class WorkflowReporter implements WorkflowEvents {
  constructor(
    private readonly logStore: LogStore,
    private readonly daemonLog: DaemonLog,
  ) {}

  workerExit(info: WorkflowWorkerExit, next: WorkflowExitFollowUp): void {
    const tag = `workflow:${info.workflow}`;
    const what = `${describeWorkerExit(info)} (${info.reason})`;
    const fatal = info.fatal === null ? "" : `: ${info.fatal.message}`;
    const payload: Record<string, unknown> = { workflow: info.workflow, ...workerExitFields(info) };
    if ("planned" in next) {
      this.daemonLog.info(tag, what);
    } else if ("restartInMs" in next) {
      payload.restartInMs = next.restartInMs;
      this.daemonLog.error(
        tag,
        `${what}${fatal}; respawning in ${next.restartInMs} ms`,
        info.fatal?.stack,
      );
    } else {
      payload.disabled = true;
      this.daemonLog.error(tag, `${what}${fatal}; ${next.reason}`, info.fatal?.stack);
    }
    this.append({ source: "daemon", type: "worker.exit", payload });
  }

  unavailable(workflow: string, phase: "compile" | "init", message: string): void {
    this.daemonLog.error(
      `workflow:${workflow}`,
      `${message} (no run starts until its files or nerve.yaml change; launches wait in the queue)`,
    );
    this.append({
      source: `workflow:${workflow}`,
      type: "workflow.error",
      payload: { phase, message },
    });
  }

  info(workflow: string, message: string): void {
    this.daemonLog.info(`workflow:${workflow}`, message);
  }

  error(workflow: string, message: string, stack?: string): void {
    this.daemonLog.error(`workflow:${workflow}`, message, stack);
  }

  roleLog(workflow: string, line: RoleLogLine): void {
    this.daemonLog[line.level](
      `workflow:${workflow}`,
      `run ${line.runId} ${line.role} (round ${line.round}): ${line.message}`,
    );
  }

  workerOutput(workflow: string, stream: "stdout" | "stderr", line: string): void {
    if (stream === "stdout") this.daemonLog.info(`workflow:${workflow}`, line);
    else this.daemonLog.warn(`workflow:${workflow}`, line);
  }

  private append(row: NewLogRow): void {
    appendOrWarn(this.logStore, this.daemonLog, "workflow", row);
  }
}
