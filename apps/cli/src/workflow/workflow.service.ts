import { Injectable } from "@nestjs/common";
import type { ParamsOf, TriggerWorkflowResult } from "@nerve/core";
import { outputWidth, paint, printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import { askDaemon } from "../daemon/daemon-client.js";
import type { RunQueries } from "./run-queries.js";

export interface ListOptions extends WorkspaceOptions {
  all?: boolean;
  workflow?: string;
  limit?: number;
  offset?: number;
  cluster?: boolean;
}

export interface InspectOptions extends WorkspaceOptions {
  limit?: number;
  offset?: number;
}

export interface ThreadOptions extends WorkspaceOptions {
  before?: number;
  budget?: number;
  full?: boolean;
}

export interface TriggerOptions extends WorkspaceOptions {
  prompt?: string;
  maxRounds?: number;
  /** Boxed: commander turns an option value of null (the JSON `null`) into "". */
  payload?: { value: unknown };
}

/** Runs shown when `--limit` is not given: a screenful. */
export const DEFAULT_LIST_LIMIT = 20;

/** Log rows shown when `--limit` is not given. */
export const DEFAULT_INSPECT_LIMIT = 50;

/**
 * `nerve workflow list|inspect|thread|trigger`. The first three read the store directly (with
 * or without a daemon); the store and the views are imported by the methods that use them, so
 * `workflow trigger` loads only the socket client.
 */
@Injectable()
export class WorkflowService {
  async list(options: ListOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const filter = { all: options.all === true, workflow: options.workflow };
    const paging = { limit: options.limit ?? DEFAULT_LIST_LIMIT, offset: options.offset ?? 0 };
    if (options.cluster === true) {
      const { listClusterRuns } = await import("./cluster-runs.js");
      const clustered = await listClusterRuns(root, filter, paging);
      if (options.json) {
        printJson(clustered.runs);
        return;
      }
      const { renderClusterRunList } = await import("./cluster-run-list.view.js");
      for (const line of renderClusterRunList(clustered, filter)) printLine(line);
      return;
    }
    const { page, shortIds } = await withQueries(root, (queries) => {
      const found = queries.list({ ...filter, ...paging });
      return {
        page: found,
        shortIds: options.json ? null : queries.shortIds(found.runs.map((run) => run.runId)),
      };
    });
    if (options.json || shortIds === null) {
      printJson(page.runs);
      return;
    }
    const { renderRunList } = await import("./run-list.view.js");
    for (const line of renderRunList(page, shortIds, filter, outputWidth())) printLine(line);
  }

  async inspect(runId: string, options: InspectOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const paging = { limit: options.limit ?? DEFAULT_INSPECT_LIMIT, offset: options.offset ?? 0 };
    const inspection = await withQueries(root, (queries) => queries.inspect(runId, paging));
    if (options.json) {
      printJson(inspection);
      return;
    }
    if (inspection.archived) printLine(paint(FROM_ARCHIVE, "dim"));
    const { renderInspection } = await import("./run-inspect.view.js");
    for (const line of renderInspection(inspection, paging, outputWidth())) printLine(line);
  }

  async thread(runId: string, options: ThreadOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const { run, thread } = await withQueries(root, (queries) =>
      queries.thread(runId, { before: options.before, budget: options.budget }),
    );
    if (options.json) {
      printJson(thread);
      return;
    }
    if (thread.archived) printLine(paint(FROM_ARCHIVE, "dim"));
    const { renderThread } = await import("./run-thread.view.js");
    const layout = { width: outputWidth(), full: options.full === true, before: options.before };
    for (const line of renderThread(run, thread, layout)) printLine(line);
  }

  async trigger(name: string, options: TriggerOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const params: ParamsOf<"trigger-workflow"> = { workflow: name };
    if (options.prompt !== undefined) params.prompt = options.prompt;
    if (options.maxRounds !== undefined) params.maxRounds = options.maxRounds;
    if (options.payload !== undefined) params.payload = options.payload.value;
    const result = await askDaemon(root, "trigger-workflow", params);
    if (options.json) printJson(result);
    else printLine(describeLaunch(name, result));
  }
}

/** Said above an archived run (`--json`: `archived: true`). */
const FROM_ARCHIVE = "(from the archive: the run ended long ago and left the database)";

async function withQueries<T>(
  root: string,
  use: (queries: RunQueries) => T | Promise<T>,
): Promise<T> {
  const { withRunQueries } = await import("./run-queries.js");
  return withRunQueries(root, use);
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
