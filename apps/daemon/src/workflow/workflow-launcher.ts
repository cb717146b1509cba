import { Injectable } from "@nestjs/common";
import type { RunStatus, WorkflowHealth } from "@nerve/core";

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
