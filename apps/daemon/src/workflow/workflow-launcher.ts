import { Injectable } from "@nestjs/common";
import {
  MAX_ROUNDS_RANGE,
  type RunStatus,
  serializePayload,
  type WorkflowHealth,
} from "@nerve/core";
import {
  InvalidMaxRoundsError,
  InvalidPromptError,
  InvalidRunPayloadError,
} from "./errors/launch.error.js";
import type { RunLaunch } from "./run-journal.js";

/** A request to start a workflow run. */
export interface LaunchRequest {
  workflow: string;
  prompt: string;
  /** Falls back to the top-level `max_rounds` of nerve.yaml. */
  maxRounds?: number;
  payload: unknown;
  /** `sense:<name>` or `cli`. */
  source: string;
  /** The signal lineage for runs started by a sense, else null. */
  causeId: string | null;
}

export interface LaunchResult {
  runId: string;
  status: RunStatus;
}

/**
 * The run a request describes, checked: `maxRounds` (or `defaultMaxRounds`) in range, a string
 * prompt, a JSON-serialisable payload of at most 1 MiB.
 *
 * @throws WorkflowLaunchRejectedError (InvalidMaxRoundsError, InvalidPromptError,
 *   InvalidRunPayloadError) the request is invalid.
 */
export function validateLaunch(request: LaunchRequest, defaultMaxRounds: number): RunLaunch {
  const { workflow } = request;
  const maxRounds = request.maxRounds ?? defaultMaxRounds;
  if (
    !Number.isSafeInteger(maxRounds) ||
    maxRounds < MAX_ROUNDS_RANGE.min ||
    maxRounds > MAX_ROUNDS_RANGE.max
  ) {
    throw new InvalidMaxRoundsError(workflow, maxRounds);
  }
  if (typeof request.prompt !== "string") throw new InvalidPromptError(workflow, request.prompt);
  const payload = request.payload === undefined ? null : request.payload;
  const json = serializePayload(payload);
  if (!json.ok) throw new InvalidRunPayloadError(workflow, json.error.message);
  return {
    prompt: request.prompt,
    // The run keeps what the store keeps: the JSON value, not the caller's object.
    payload: JSON.parse(json.value) as unknown,
    payloadJson: json.value,
    maxRounds,
    source: request.source,
    causeId: request.causeId,
  };
}

/** Thrown when a launch names no declared workflow. */
export class UnknownWorkflowError extends Error {
  override readonly name = "UnknownWorkflowError";
  constructor(readonly workflow: string) {
    super(`unknown workflow "${workflow}": it is not declared under workflows: in nerve.yaml`);
  }
}

/** Thrown while no workflow engine is installed in this daemon. */
export class WorkflowEngineMissingError extends Error {
  override readonly name = "WorkflowEngineMissingError";
  constructor(readonly workflow: string) {
    super(
      `cannot start workflow "${workflow}": this daemon has no workflow engine yet; the launch was not performed`,
    );
  }
}

/** Starts workflow runs (from sense directives and from `trigger-workflow`). */
export abstract class WorkflowLauncher {
  abstract launch(request: LaunchRequest): Promise<LaunchResult>;
  /** One entry per declared workflow, for `health`. */
  abstract health(): WorkflowHealth[];
}

/** The launcher until the workflow engine exists: every launch fails loudly, none is dropped silently. */
@Injectable()
export class MissingWorkflowEngine extends WorkflowLauncher {
  launch(request: LaunchRequest): Promise<LaunchResult> {
    return Promise.reject(new WorkflowEngineMissingError(request.workflow));
  }

  health(): WorkflowHealth[] {
    return [];
  }
}
