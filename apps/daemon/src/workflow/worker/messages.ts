// Parent ↔ worker messages of a workflow's worker process. Light on purpose: the worker imports
// this file, so its only runtime import is an import-free helper.
import type { EndReason, RoleMessage, ThreadMessage } from "@nerve/core";
import type { SerializedError } from "../../process/serialized-error.js";
import { commandGuard, type LogLevel } from "../../process/worker-messages.js";

/** Commands the daemon sends to a workflow worker. */
export enum WorkflowParentCommand {
  /** Load the workflow's definition; answered by Ready or InitFailed. */
  Init = "init",
  /** Run (or resume) one thread from its persisted messages; answered by End. */
  Run = "run",
  /** The message of that requestId is committed: the thread may go on. */
  Ack = "ack",
  /** Abort every role in flight and exit once the threads settled (or after a grace). */
  Shutdown = "shutdown",
}

/** Commands a workflow worker sends to the daemon. */
export enum WorkflowWorkerCommand {
  /** Init done: the definition is loaded and valid. */
  Ready = "ready",
  /** Init failed (no valid definition); the worker is never reused. */
  InitFailed = "init-failed",
  /** A round's message, to be committed; the thread waits for the Ack of this requestId. */
  Message = "message",
  /** A thread ended (or stopped, when aborted). */
  End = "end",
  /** A `ctx.logger` line of a role. */
  Log = "log",
  /** The worker hit a fatal error and exits. */
  Failed = "failed",
}

/** What a workflow worker needs to start. */
export interface WorkflowWorkerInit {
  /** The workspace root, absolute. */
  root: string;
  workflow: string;
  /** Absolute path of the compiled ES module (`.nerve/build/workflows/<name>/index.mjs`). */
  module: string;
  /** The definition file as the user knows it, relative to the root, for messages. */
  source: string;
}

export interface RunCommandValue {
  runId: string;
  /** The run's committed messages, start first: the thread continues after the last one. */
  messages: ThreadMessage[];
}

/**
 * How a thread stopped. `aborted`: the worker is shutting down; the run stays `started`
 * and is resumed later from its persisted messages.
 */
export type ThreadEnd =
  | { status: "completed"; endReason: EndReason; rounds: number }
  | { status: "failed"; error: SerializedError; rounds: number }
  | { status: "aborted"; rounds: number };

export type RoleLogLevel = LogLevel;

export interface RoleLogLine {
  runId: string;
  role: string;
  round: number;
  level: RoleLogLevel;
  message: string;
}

export type WorkflowParentMessage =
  | { cmd: WorkflowParentCommand.Init; value: WorkflowWorkerInit }
  | { cmd: WorkflowParentCommand.Run; value: RunCommandValue }
  | { cmd: WorkflowParentCommand.Ack; requestId: number }
  | { cmd: WorkflowParentCommand.Shutdown; value: { reason: string; graceMs: number } };

export type WorkflowWorkerMessage =
  | { cmd: WorkflowWorkerCommand.Ready }
  | { cmd: WorkflowWorkerCommand.InitFailed; err: SerializedError }
  | {
      cmd: WorkflowWorkerCommand.Message;
      requestId: number;
      value: { runId: string; message: RoleMessage };
    }
  | { cmd: WorkflowWorkerCommand.End; value: { runId: string; end: ThreadEnd } }
  | { cmd: WorkflowWorkerCommand.Log; value: RoleLogLine }
  | { cmd: WorkflowWorkerCommand.Failed; err: SerializedError };

/** True for an object whose `cmd` is a WorkflowParentCommand (the shape is trusted beyond that). */
export const isWorkflowParentMessage = commandGuard<WorkflowParentMessage>(WorkflowParentCommand);

/** True for an object whose `cmd` is a WorkflowWorkerCommand (the shape is trusted beyond that). */
export const isWorkflowWorkerMessage = commandGuard<WorkflowWorkerMessage>(WorkflowWorkerCommand);
