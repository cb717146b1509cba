import type { RoleMessage, ThreadMessage } from "@nerve/core";
import type { ForkedWorkerListener, WorkerExit } from "../process/forked-worker.types.js";
import type { RoleLogLine, ThreadEnd, WorkflowWorkerInit } from "./worker/messages.js";

/**
 * Why a workflow worker ended: `stopped` — asked to (shutdown, reload, removal); `init-failed`
 * — it never became ready; `exited` — it died on its own (crash, kill -9, a fatal error).
 */
export type WorkflowExitReason = "stopped" | "init-failed" | "exited";

export interface WorkflowWorkerExit extends WorkerExit<WorkflowExitReason> {
  workflow: string;
}

/** What a workflow worker tells its owner. */
export interface WorkflowHostListener extends ForkedWorkerListener<WorkflowWorkerExit> {
  /** A round's message to commit; answer with `ack(requestId)` once it is durable. */
  message(runId: string, requestId: number, message: RoleMessage): void;
  end(runId: string, end: ThreadEnd): void;
  log(line: RoleLogLine): void;
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
