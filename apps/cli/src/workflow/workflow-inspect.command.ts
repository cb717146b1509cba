import { Option, SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import { MIN_RUN_ID_PREFIX } from "./run-id.js";
import { parseWholeNumber } from "./workflow-options.js";
import { DEFAULT_INSPECT_LIMIT, type InspectOptions } from "./workflow.service.js";

@SubCommand({
  name: "inspect",
  arguments: "<runId>",
  argsDescription: {
    runId: `the run's id, or a unique prefix of it (at least ${MIN_RUN_ID_PREFIX} characters)`,
  },
  description: "a run's fields and the log rows about it, oldest first",
})
@Examples(
  ["nerve workflow inspect 0193a5b2-7c41", "by a unique prefix of the run id"],
  ["nerve workflow inspect <runId> --offset 50", "the next page of log rows"],
  [
    "nerve workflow inspect <runId> --json",
    "{ run, logs: [{ id, ts, source, type, refId, payload }], total }",
  ],
)
export class WorkflowInspectCommand extends DataCommand<InspectOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run([runId]: string[], options: InspectOptions): Promise<void> {
    const workflows = await this.features.get(() => import("./workflow.feature.js"));
    await workflows.inspect(runId, options);
  }

  @Option({
    flags: "--limit <count>",
    description: `show at most this many log rows (default ${DEFAULT_INSPECT_LIMIT})`,
  })
  parseLimit(value: string): number {
    return parseWholeNumber("--limit", value, 1);
  }

  @Option({ flags: "--offset <count>", description: "skip this many of the oldest log rows first" })
  parseOffset(value: string): number {
    return parseWholeNumber("--offset", value, 0);
  }
}
