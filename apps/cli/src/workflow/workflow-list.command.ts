import { Option, SubCommand } from "nest-commander";
import { UsageError } from "../common/cli-errors.js";
import { Features } from "../common/features.js";
import { Completes, Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import { parseWholeNumber } from "./workflow-options.js";
import { DEFAULT_LIST_LIMIT, type ListOptions } from "./workflow.service.js";

@SubCommand({
  name: "list",
  description:
    "workflow runs, newest first: the active ones (queued, started), or every run with --all; " +
    "reads the store, so it works with or without a daemon",
})
@Completes({ options: { "--workflow": "workflow" } })
@Examples(
  ["nerve workflow list", "runs queued or in flight"],
  ["nerve workflow list --all --workflow investigate --limit 50"],
  ["nerve workflow list --all --offset 20", "the next page"],
  ["nerve workflow list --all --json", "[{ runId, workflow, status, rounds, maxRounds, ... }]"],
  ["nerve workflow list --cluster --all", "runs of placement: cluster workflows, on every node"],
)
export class WorkflowListCommand extends DataCommand<ListOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: ListOptions): Promise<void> {
    const workflows = await this.features.get(() => import("./workflow.feature.js"));
    await workflows.list(options);
  }

  @Option({ flags: "--all", description: "every run, finished ones too (default: active only)" })
  parseAll(): boolean {
    return true;
  }

  @Option({ flags: "--workflow <name>", description: "only runs of this workflow" })
  parseWorkflow(value: string): string {
    if (value.trim() === "")
      throw new UsageError("--workflow: expected a workflow name, got nothing");
    return value;
  }

  @Option({
    flags: "--limit <count>",
    description: `show at most this many runs (default ${DEFAULT_LIST_LIMIT})`,
  })
  parseLimit(value: string): number {
    return parseWholeNumber("--limit", value, 1);
  }

  @Option({
    flags: "--cluster",
    description:
      "runs of placement: cluster workflows across the cluster, with the node that runs or ran " +
      "each (reads the run index on the federation's NATS servers)",
  })
  parseCluster(): boolean {
    return true;
  }

  @Option({ flags: "--offset <count>", description: "skip this many of the newest runs first" })
  parseOffset(value: string): number {
    return parseWholeNumber("--offset", value, 0);
  }
}
