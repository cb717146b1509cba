import { Option, SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import { MIN_RUN_ID_PREFIX } from "./run-id.js";
import { parseWholeNumber } from "./workflow-options.js";
import type { ThreadOptions } from "./workflow.service.js";

@SubCommand({
  name: "thread",
  arguments: "<runId>",
  argsDescription: {
    runId: `the run's id, or a unique prefix of it (at least ${MIN_RUN_ID_PREFIX} characters)`,
  },
  description:
    "a run's thread: the start message, then each round's role and content, oldest first",
})
@Examples(
  ["nerve workflow thread <runId>", "every round, a few lines each, cut to the terminal"],
  ["nerve workflow thread <runId> --full", "every round whole"],
  ["nerve workflow thread <runId> --budget 4000", "the newest rounds that fit in 4,000 chars"],
  [
    "nerve workflow thread <runId> --before 10 --json",
    "{ runId, start, rounds: [{ round, role, content, ts }], elided }",
  ],
)
export class WorkflowThreadCommand extends DataCommand<ThreadOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run([runId]: string[], options: ThreadOptions): Promise<void> {
    const workflows = await this.features.get(() => import("./workflow.feature.js"));
    await workflows.thread(runId, options);
  }

  @Option({ flags: "--before <round>", description: "only rounds numbered below this one" })
  parseBefore(value: string): number {
    return parseWholeNumber("--before", value, 1);
  }

  @Option({
    flags: "--budget <chars>",
    description:
      "keep the newest rounds whose JSON content fits in this many characters; " +
      "says how many older ones were left out",
  })
  parseBudget(value: string): number {
    return parseWholeNumber("--budget", value, 0);
  }

  @Option({
    flags: "--full",
    description: "show every round whole (default: a few lines each, cut to the terminal width)",
  })
  parseFull(): boolean {
    return true;
  }
}
