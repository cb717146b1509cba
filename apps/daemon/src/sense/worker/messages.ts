// Parent ↔ worker messages of a sense group's worker process. Light on purpose: the worker
// imports this file, so its only runtime imports are import-free files.
import type { SenseTrigger, WorkflowDirective } from "@nerve/core";
import {
  serializeError as serializeAnyError,
  type SerializedError,
} from "../../process/serialized-error.js";
import { commandGuard, type LogLevel } from "../../process/worker-messages.js";
import { SenseRuntimeError } from "../errors/sense-runtime.error.js";

export type { LogLevel } from "../../process/worker-messages.js";

/** Commands the daemon sends to a worker. */
export enum ParentCommand {
  /** Load the group's senses; answered by Ready or InitFailed. */
  Init = "init",
  /** Run one compute; answered by Result or Failed with the same requestId. */
  Compute = "compute",
  /** Abort the `ctx.signal` of one compute in flight. */
  Abort = "abort",
  /** Abort everything, close the databases and exit 0. */
  Shutdown = "shutdown",
}

/** Commands a worker sends to the daemon. */
export enum WorkerCommand {
  /** Init done; `failures` lists the senses that could not be loaded (the others work). */
  Ready = "ready",
  /** Init failed as a whole; the worker is never reused. */
  InitFailed = "init-failed",
  /** A compute finished and its value is routed. */
  Result = "result",
  /** A compute failed (with requestId), or the worker hit a fatal error (without) and exits. */
  Failed = "failed",
  /** A `ctx.logger` line of a sense. */
  Log = "log",
}

/** One sense a worker loads. */
export interface WorkerSenseSpec {
  name: string;
  /** Absolute path of the compiled ES module (`.nerve/build/senses/<name>/compute.mjs`). */
  module: string;
  /** The compute file as the user knows it, relative to the root, for messages. */
  source: string;
  /** Absolute path of `senses/<name>/migrations/`. */
  migrationsDir: string;
}

/** What a worker needs to start. */
export interface WorkerInit {
  /** The workspace root, absolute. */
  root: string;
  group: string;
  senses: WorkerSenseSpec[];
}

/** Why a compute's signal is aborted: `timeout` aborts with a TimeoutError, `stop` with an AbortError. */
export interface AbortCommandValue {
  kind: "timeout" | "stop";
  reason: string;
}

export interface ComputeCommandValue {
  sense: string;
  trigger: SenseTrigger;
  /** The instant the compute is for, epoch ms (`ctx.now`); absent: when the worker receives it. */
  now?: number;
}

/** A sense that a worker could not load (import failed, no compute function, migration failed). */
export interface SenseInitFailure {
  sense: string;
  error: SerializedError;
}

/** A routed compute value as it leaves the worker: payloads as checked JSON text only. */
export type WorkerRoute =
  | { kind: "none" }
  | { kind: "signal"; payloadJson: string; ignoredDirective?: { reason: string } }
  | { kind: "workflow"; directive: WorkflowDirective; payloadJson: string };

export interface WorkerLogLine {
  sense: string;
  level: LogLevel;
  message: string;
}

export type ParentMessage =
  | { cmd: ParentCommand.Init; value: WorkerInit }
  | { cmd: ParentCommand.Compute; requestId: number; value: ComputeCommandValue }
  | { cmd: ParentCommand.Abort; requestId: number; value: AbortCommandValue }
  | { cmd: ParentCommand.Shutdown };

export type WorkerMessage =
  | { cmd: WorkerCommand.Ready; value: { failures: SenseInitFailure[] } }
  | { cmd: WorkerCommand.InitFailed; err: SerializedError }
  | { cmd: WorkerCommand.Result; requestId: number; value: WorkerRoute }
  | { cmd: WorkerCommand.Failed; requestId?: number; err: SerializedError }
  | { cmd: WorkerCommand.Log; value: WorkerLogLine };

/** True for an object whose `cmd` is a ParentCommand (the shape is trusted beyond that). */
export const isParentMessage = commandGuard<ParentMessage>(ParentCommand);

/** True for an object whose `cmd` is a WorkerCommand (the shape is trusted beyond that). */
export const isWorkerMessage = commandGuard<WorkerMessage>(WorkerCommand);

/**
 * An error as `{ name, message, stack }`, whatever was thrown (strings, objects, null). The
 * runtime's own errors say everything in their message; their stack would only show the
 * runtime's internals, so they carry the stack of their cause (a user's error), if any.
 */
export function serializeError(error: unknown): SerializedError {
  return serializeAnyError(error, SenseRuntimeError);
}
