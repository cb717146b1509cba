import { Help, Option, SubCommand } from "nest-commander";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { outputWidth } from "./format.js";
import { MIN_RUN_ID_PREFIX, withRunQueries } from "./run-queries.js";
import { renderThread } from "./run-thread.view.js";
import { parseWholeNumber } from "./workflow-options.js";

interface ThreadOptions extends WorkspaceOptions {
  before?: number;
  budget?: number;
  full?: boolean;
}

@SubCommand({
  name: "thread",
  arguments: "<runId>",
  argsDescription: {
    runId: `the run's id, or a unique prefix of it (at least ${MIN_RUN_ID_PREFIX} characters)`,
  },
  description:
    "a run's thread: the start message, then each round's role and content, oldest first",
})
export class WorkflowThreadCommand extends DataCommand<ThreadOptions> {
  run([runId]: string[], options: ThreadOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const { run, thread } = withRunQueries(root, (queries) =>
      queries.thread(runId, { before: options.before, budget: options.budget }),
    );
    if (options.json) {
      printJson(thread);
      return Promise.resolve();
    }
    const layout = { width: outputWidth(), full: options.full === true, before: options.before };
    for (const line of renderThread(run, thread, layout)) printLine(line);
    return Promise.resolve();
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

  @Option({ flags: "--full", description: "show every round whole (default: a few lines each)" })
  parseFull(): boolean {
    return true;
  }

  @Help("after")
  examples(): string {
    return `
Examples:
  nerve workflow thread <runId>                 every round, a few lines each
  nerve workflow thread <runId> --full          every round whole
  nerve workflow thread <runId> --budget 4000   the newest rounds that fit in 4,000 characters
  nerve workflow thread <runId> --before 10 --json
                                                { runId, start, rounds: [{ round, role, content, ts }], elided }`;
  }
}
