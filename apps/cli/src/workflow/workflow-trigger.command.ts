import type { ParamsOf, TriggerWorkflowResult } from "@nerve/core";
import { Help, Option, SubCommand } from "nest-commander";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { askDaemon } from "../daemon/daemon-client.js";
import { parseJsonValue, parseWholeNumber } from "./workflow-options.js";

interface TriggerOptions extends WorkspaceOptions {
  prompt?: string;
  maxRounds?: number;
  /** Boxed: commander turns an option value of null (the JSON `null`) into "". */
  payload?: { value: unknown };
}

@SubCommand({
  name: "trigger",
  arguments: "<name>",
  argsDescription: { name: "the workflow to start, as named under workflows: in nerve.yaml" },
  description: "start a run of a workflow in the running daemon (source cli)",
})
export class WorkflowTriggerCommand extends DataCommand<TriggerOptions> {
  async run([name]: string[], options: TriggerOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const params: ParamsOf<"trigger-workflow"> = { workflow: name };
    if (options.prompt !== undefined) params.prompt = options.prompt;
    if (options.maxRounds !== undefined) params.maxRounds = options.maxRounds;
    if (options.payload !== undefined) params.payload = options.payload.value;
    const result = await askDaemon(root, "trigger-workflow", params);
    if (options.json) printJson(result);
    else printLine(describeLaunch(name, result));
  }

  @Option({ flags: "--prompt <text>", description: "the run's prompt (default: empty)" })
  parsePrompt(value: string): string {
    return value;
  }

  @Option({
    flags: "--max-rounds <count>",
    description: "stop after this many rounds (default: max_rounds in nerve.yaml)",
  })
  parseMaxRounds(value: string): number {
    return parseWholeNumber("--max-rounds", value, 1);
  }

  @Option({ flags: "--payload <json>", description: "the run's payload, any JSON value" })
  parsePayload(value: string): { value: unknown } {
    return { value: parseJsonValue("--payload", value) };
  }

  @Help("after")
  examples(): string {
    return `
Examples:
  nerve workflow trigger investigate
  nerve workflow trigger investigate --prompt "why is the load high?" --max-rounds 5
  nerve workflow trigger investigate --payload '{"pct": 93}' --json   { runId, status }`;
  }
}

function describeLaunch(workflow: string, result: TriggerWorkflowResult): string {
  switch (result.status) {
    case "started":
      return `started run ${result.runId} of ${workflow}`;
    case "queued":
      return `queued run ${result.runId} of ${workflow}: the workflow is at its concurrency limit`;
    case "dropped":
      return (
        `dropped run ${result.runId} of ${workflow}: the workflow is at its concurrency limit ` +
        "and does not queue (overflow in nerve.yaml)"
      );
    default:
      return `run ${result.runId} of ${workflow}: ${result.status}`;
  }
}
