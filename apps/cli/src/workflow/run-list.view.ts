import { paint } from "../common/output.js";
import { formatTable } from "../common/table.js";
import { formatAgo } from "../common/relative-time.js";
import { clip, paintStatus, pagingLine, tableWidth } from "./format.js";
import type { RunPage } from "./run-queries.js";

/** What was asked for, to say what an empty list means. */
export interface RunListFilter {
  all: boolean;
  workflow?: string;
}

/** Room left for the prompt column, and the least it gets on a narrow terminal. */
const MIN_PROMPT_WIDTH = 20;

/**
 * `nerve workflow list` for people: a table of one page of runs, newest first, each named by
 * its shortest unique id prefix, and a line saying which part of the list this is.
 */
export function renderRunList(
  page: RunPage,
  shortIds: ReadonlyMap<string, string>,
  filter: RunListFilter,
  width: number,
  now = Date.now(),
): string[] {
  if (page.total === 0) return [emptyMessage(filter)];
  const paging = pagingLine(page.runs.length, page.offset, page.total);
  if (page.runs.length === 0) return [paging ?? emptyMessage(filter)];
  const rows = page.runs.map((run) => [
    shortIds.get(run.runId) ?? run.runId,
    run.workflow,
    run.status,
    `${run.rounds}/${run.maxRounds}`,
    run.source,
    formatAgo(run.createdAt, now),
    promptAndWhy(run.prompt, run.error),
  ]);
  const headers = ["RUN", "WORKFLOW", "STATUS", "ROUNDS", "SOURCE", "CREATED", "PROMPT"];
  // Every column but the prompt at its natural width; the prompt gets what is left of the line.
  const widthWithoutPrompt = tableWidth(
    headers.slice(0, -1),
    rows.map((row) => row.slice(0, -1)),
  );
  const promptWidth = Math.max(MIN_PROMPT_WIDTH, width - widthWithoutPrompt - 2);
  const lines = formatTable(
    headers,
    rows.map((row, i) => {
      const shown = [...row];
      shown[2] = paintStatus(page.runs[i].status);
      shown[6] = clip(row[6], promptWidth);
      return shown;
    }),
  ).split("\n");
  if (paging !== null) lines.push(paint(paging, "dim"));
  return lines;
}

/** The prompt, and for a run that ended on an error or was dropped, why (after a dash). */
function promptAndWhy(prompt: string, error: string | null): string {
  if (error === null) return prompt;
  return prompt === "" ? `✗ ${error}` : `${prompt} — ✗ ${error}`;
}

function emptyMessage(filter: RunListFilter): string {
  const of = filter.workflow === undefined ? "" : ` of workflow ${filter.workflow}`;
  return filter.all
    ? `no runs${of}`
    : `no active runs${of} (queued or started); --all shows finished ones too`;
}
