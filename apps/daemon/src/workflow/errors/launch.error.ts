import { MAX_ROUNDS_RANGE } from "@nerve/core";
import { WorkflowRuntimeError } from "./workflow-runtime.error.js";

/**
 * A launch refused because of what it asked for (a bad round cap, a payload that cannot be
 * stored). Nothing was recorded. The IPC handler answers these `bad_request`.
 */
export abstract class WorkflowLaunchRejectedError extends WorkflowRuntimeError {
  abstract readonly workflow: string;
}

/** `maxRounds` is not an integer in 1..10000. */
export class InvalidMaxRoundsError extends WorkflowLaunchRejectedError {
  constructor(
    readonly workflow: string,
    readonly maxRounds: unknown,
  ) {
    super(
      `cannot start workflow ${workflow}: maxRounds must be an integer from ` +
        `${MAX_ROUNDS_RANGE.min} to ${MAX_ROUNDS_RANGE.max}, got ${describe(maxRounds)}`,
    );
  }
}

/** The prompt is not a string. */
export class InvalidPromptError extends WorkflowLaunchRejectedError {
  constructor(
    readonly workflow: string,
    prompt: unknown,
  ) {
    super(
      `cannot start workflow ${workflow}: the prompt must be a string, got ${describe(prompt)}`,
    );
  }
}

/** The run's payload is not JSON-serialisable or is over 1 MiB. */
export class InvalidRunPayloadError extends WorkflowLaunchRejectedError {
  constructor(
    readonly workflow: string,
    reason: string,
  ) {
    super(`cannot start workflow ${workflow}: the run's ${reason}`);
  }
}

/** A launch after the engine stopped that could not be recorded (the store is closed). */
export class WorkflowEngineStoppedError extends WorkflowRuntimeError {
  constructor(
    readonly workflow: string,
    options?: ErrorOptions,
  ) {
    super(
      `cannot start workflow ${workflow}: the workflow engine has stopped (the daemon is ` +
        "shutting down) and the launch could not be recorded",
      options,
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  if (value === null) return "null";
  return typeof value;
}
