import { Option, SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Completes, Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import { parseJsonValue, parseWholeNumber } from "./workflow-options.js";
import type { TriggerOptions } from "./workflow.service.js";

@SubCommand({
  name: "trigger",
  arguments: "<name>",
  argsDescription: { name: "the workflow to start, as named under workflows: in nerve.yaml" },
  description: "start a run of a workflow in the running daemon (source cli)",
})
@Completes({ args: ["workflow"] })
@Examples(
  ["nerve workflow trigger investigate"],
  ['nerve workflow trigger investigate --prompt "why is the load high?" --max-rounds 5'],
  ["nerve workflow trigger investigate --payload '{\"pct\": 93}' --json", "{ runId, status }"],
)
export class WorkflowTriggerCommand extends DataCommand<TriggerOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run([name]: string[], options: TriggerOptions): Promise<void> {
    const workflows = await this.features.get(() => import("./workflow.feature.js"));
    await workflows.trigger(name, options);
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
}
