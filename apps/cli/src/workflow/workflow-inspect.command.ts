import { Help, Option, SubCommand } from "nest-commander";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { outputWidth } from "./format.js";
import { renderInspection } from "./run-inspect.view.js";
import { MIN_RUN_ID_PREFIX, withRunQueries } from "./run-queries.js";
import { parseWholeNumber } from "./workflow-options.js";

interface InspectOptions extends WorkspaceOptions {
  limit?: number;
  offset?: number;
}

/** Log rows shown when `--limit` is not given. */
export const DEFAULT_INSPECT_LIMIT = 50;

@SubCommand({
  name: "inspect",
  arguments: "<runId>",
  argsDescription: {
    runId: `the run's id, or a unique prefix of it (at least ${MIN_RUN_ID_PREFIX} characters)`,
  },
  description: "a run's fields and the log rows about it, oldest first",
})
export class WorkflowInspectCommand extends DataCommand<InspectOptions> {
  run([runId]: string[], options: InspectOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const paging = { limit: options.limit ?? DEFAULT_INSPECT_LIMIT, offset: options.offset ?? 0 };
    const inspection = withRunQueries(root, (queries) => queries.inspect(runId, paging));
    if (options.json) printJson(inspection);
    else for (const line of renderInspection(inspection, paging, outputWidth())) printLine(line);
    return Promise.resolve();
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

  @Help("after")
  examples(): string {
    return `
Examples:
  nerve workflow inspect 0193a5b2-7c41          by a unique prefix of the run id
  nerve workflow inspect <runId> --offset 50   the next page of log rows
  nerve workflow inspect <runId> --json        { run, logs: [{ id, ts, source, type, refId, payload }], total }`;
  }
}
