import type { RoleMessage, ThreadMessage } from "@nerve/core";
import type { SerializedError } from "../sense/sense-runtime.types.js";
import type { RoleLogLine, ThreadEnd, WorkflowWorkerInit } from "./worker/messages.js";

/**
 * Why a workflow worker ended: `stopped` — asked to (shutdown, reload, removal); `init-failed`
 * — it never became ready; `exited` — it died on its own (crash, kill -9, a fatal error).
 */
export type WorkflowExitReason = "stopped" | "init-failed" | "exited";

export interface WorkflowWorkerExit {
  workflow: string;
  pid: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: WorkflowExitReason;
  /** The fatal error the worker reported before it exited, if it did. */
  fatal: SerializedError | null;
  /** How long it had been ready, or null if it never was. */
  uptimeMs: number | null;
}

/** What a workflow worker tells its owner. */
export interface WorkflowHostListener {
  /** A round's message to commit; answer with `ack(requestId)` once it is durable. */
  message(runId: string, requestId: number, message: RoleMessage): void;
  end(runId: string, end: ThreadEnd): void;
  log(line: RoleLogLine): void;
  output(stream: "stdout" | "stderr", line: string): void;
  exit(info: WorkflowWorkerExit): void;
}

/** One workflow's worker as its supervisor sees it (WorkflowHost, or a fake in unit specs). */
export interface WorkflowWorkerHandle {
  readonly pid: number | null;
  /**
   * Forks and initialises the worker.
   *
   * @throws WorkflowWorkerInitError (with `definitionFault` when the definition is at fault).
   */
  start(): Promise<void>;
  /** Runs or resumes a thread from its committed messages; its end comes to the listener. */
  run(runId: string, messages: ThreadMessage[]): void;
  /** The message of `requestId` is committed. */
  ack(requestId: number): void;
  /** Shutdown (roles aborted), then SIGTERM, then SIGKILL; resolves once it is gone. Idempotent. */
  stop(reason: string): Promise<WorkflowWorkerExit>;
}

/** Creates the worker of a workflow. */
export abstract class WorkflowWorkerFactory {
  /** Gets the worker entry ready (called once, before the first worker starts). */
  abstract prepare(): Promise<void>;
  abstract create(init: WorkflowWorkerInit, listener: WorkflowHostListener): WorkflowWorkerHandle;
}
