import { Help, Option, SubCommand } from "nest-commander";
import { UsageError } from "../common/cli-errors.js";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { outputWidth } from "./format.js";
import { renderRunList } from "./run-list.view.js";
import { withRunQueries } from "./run-queries.js";
import { parseWholeNumber } from "./workflow-options.js";

interface ListOptions extends WorkspaceOptions {
  all?: boolean;
  workflow?: string;
  limit?: number;
  offset?: number;
}

/** Runs shown when `--limit` is not given: a screenful. */
export const DEFAULT_LIST_LIMIT = 20;

@SubCommand({
  name: "list",
  description:
    "workflow runs, newest first: the active ones (queued, started), or every run with --all; " +
    "reads the store, so it works with or without a daemon",
})
export class WorkflowListCommand extends DataCommand<ListOptions> {
  run(_params: string[], options: ListOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const filter = { all: options.all === true, workflow: options.workflow };
    const paging = { limit: options.limit ?? DEFAULT_LIST_LIMIT, offset: options.offset ?? 0 };
    const { page, shortIds } = withRunQueries(root, (queries) => {
      const found = queries.list({ ...filter, ...paging });
      return {
        page: found,
        shortIds: options.json ? null : queries.shortIds(found.runs.map((run) => run.runId)),
      };
    });
    if (options.json || shortIds === null) printJson(page.runs);
    else for (const line of renderRunList(page, shortIds, filter, outputWidth())) printLine(line);
    return Promise.resolve();
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

  @Option({ flags: "--offset <count>", description: "skip this many of the newest runs first" })
  parseOffset(value: string): number {
    return parseWholeNumber("--offset", value, 0);
  }

  @Help("after")
  examples(): string {
    return `
Examples:
  nerve workflow list                          runs queued or in flight
  nerve workflow list --all --workflow investigate --limit 50
  nerve workflow list --all --offset 20        the next page
  nerve workflow list --all --json             [{ runId, workflow, status, rounds, maxRounds, ... }]`;
  }
}
