import { Injectable } from "@nestjs/common";
import {
  findWorkflow,
  IpcError,
  type TriggerWorkflowRequest,
  type TriggerWorkflowResult,
} from "@nerve/core";
import { ConfigService } from "../../kernel/config.service.js";
import {
  UnknownWorkflowError,
  WorkflowEngineMissingError,
  WorkflowLauncher,
} from "../../workflow/workflow-launcher.js";
import {
  WorkflowEngineStoppedError,
  WorkflowLaunchRejectedError,
} from "../../workflow/errors/launch.error.js";
import type { IpcRequestHandler } from "../ipc-handler.js";
import { declaredNames } from "./declared-names.js";

/**
 * `trigger-workflow`: launches a run from the CLI (source `cli`, no cause). An undeclared
 * workflow is `unknown_workflow`; a launch the engine rejects (round cap, prompt, payload) is
 * `bad_request`; an engine that is missing or stopped answers `internal`.
 */
@Injectable()
export class TriggerWorkflowHandler implements IpcRequestHandler<"trigger-workflow"> {
  constructor(
    private readonly config: ConfigService,
    private readonly launcher: WorkflowLauncher,
  ) {}

  async handle(request: TriggerWorkflowRequest): Promise<TriggerWorkflowResult> {
    const config = this.config.current;
    if (findWorkflow(config, request.workflow) === undefined) {
      throw unknownWorkflow(request.workflow, declaredNames(config.workflows.map((w) => w.name)));
    }
    try {
      const { runId, status } = await this.launcher.launch({
        workflow: request.workflow,
        prompt: request.prompt ?? "",
        maxRounds: request.maxRounds,
        payload: request.payload ?? null,
        source: "cli",
        causeId: null,
      });
      return { runId, status };
    } catch (error) {
      // The config may have changed between the check above and the launch.
      if (error instanceof UnknownWorkflowError)
        throw new IpcError("unknown_workflow", error.message);
      if (error instanceof WorkflowLaunchRejectedError)
        throw new IpcError("bad_request", error.message);
      if (
        error instanceof WorkflowEngineMissingError ||
        error instanceof WorkflowEngineStoppedError
      )
        throw new IpcError("internal", error.message);
      throw error;
    }
  }
}

function unknownWorkflow(name: string, declared: string): IpcError {
  return new IpcError(
    "unknown_workflow",
    `unknown workflow "${name}": it is not declared under workflows: in nerve.yaml (${declared})`,
  );
}
