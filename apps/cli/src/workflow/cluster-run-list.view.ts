import { formatTable } from "../common/table.js";
import { formatAgo } from "../common/relative-time.js";
import { paint } from "../common/output.js";
import type { ClusterRunPage } from "./cluster-runs.js";
import { paintStatus, pagingLine } from "./format.js";
import type { RunListFilter } from "./run-list.view.js";

/** `nerve workflow list --cluster` for people: one page of the cluster's runs, with their nodes. */
export function renderClusterRunList(
  page: ClusterRunPage,
  filter: RunListFilter,
  now = Date.now(),
): string[] {
  if (page.runs.length === 0) {
    const of = filter.workflow === undefined ? "" : ` of workflow ${filter.workflow}`;
    return [
      filter.all
        ? `no cluster runs${of}`
        : `no active cluster runs${of}; --all shows finished ones too`,
    ];
  }
  const lines = formatTable(
    ["RUN", "WORKFLOW", "STATUS", "NODE", "ORIGIN", "ROUNDS", "CREATED"],
    page.runs.map((run) => [
      run.runId,
      run.workflow,
      paintStatus(run.status),
      run.node ?? "-",
      run.origin,
      `${run.rounds}/${run.maxRounds}`,
      formatAgo(run.createdAt, now),
    ]),
  ).split("\n");
  const paging = pagingLine(page.runs.length, page.offset, page.total);
  if (paging !== null) lines.push(paint(paging, "dim"));
  return lines;
}
