import { paint } from "../common/output.js";
import { cell, formatTable } from "../common/table.js";
import { clip, formatContent, formatWhen, paintStatus, pagingLine, tableWidth } from "./format.js";
import type { InspectedRun, Paging, RunInspection } from "./run-queries.js";

const LABEL_WIDTH = 9;
const MIN_PAYLOAD_WIDTH = 20;

/**
 * `nerve workflow inspect` for people: the run's fields, one per line, then its log rows as a
 * table (payloads as compact JSON, cut to the line), then which part of the log this is.
 */
export function renderInspection(
  inspection: RunInspection,
  paging: Paging,
  width: number,
  now = Date.now(),
): string[] {
  const lines = runFields(inspection.run, width, now);
  const { logs, total } = inspection;
  lines.push("");
  if (total === 0) {
    lines.push("no log rows about this run yet");
    return lines;
  }
  lines.push(paint(`LOG (${total} row${total === 1 ? "" : "s"}, oldest first)`, "bold"));
  const rows = logs.map((row) => [String(row.id), formatWhen(row.ts, now), row.type, row.source]);
  const used = tableWidth(["ID", "TIME", "TYPE", "SOURCE"], rows);
  const payloadWidth = Math.max(MIN_PAYLOAD_WIDTH, width - used - 2);
  lines.push(
    ...formatTable(
      ["ID", "TIME", "TYPE", "SOURCE", "PAYLOAD"],
      rows.map((row, i) => [...row, clip(cell(logs[i].payload), payloadWidth)]),
    ).split("\n"),
  );
  const pageLine = pagingLine(logs.length, paging.offset, total);
  if (pageLine !== null) lines.push(paint(pageLine, "dim"));
  return lines;
}

function runFields(run: InspectedRun, width: number, now: number): string[] {
  const field = (label: string, value: string) =>
    `${paint(label.padEnd(LABEL_WIDTH), "dim")}${value}`;
  const status =
    run.endReason === null
      ? paintStatus(run.status)
      : `${paintStatus(run.status)} (${run.endReason})`;
  const lines = [
    field("run", run.runId),
    field("workflow", run.workflow),
    field("status", status),
    field("rounds", `${run.rounds} of at most ${run.maxRounds}`),
    field("source", run.causeId === null ? run.source : `${run.source} (cause ${run.causeId})`),
    field("created", formatWhen(run.createdAt, now)),
  ];
  if (run.startedAt !== null) lines.push(field("started", formatWhen(run.startedAt, now)));
  if (run.endedAt !== null) lines.push(field("ended", formatWhen(run.endedAt, now)));
  if (run.error !== null) lines.push(field("error", paint(run.error, "red")));
  lines.push(field("prompt", run.prompt === "" ? paint("(none)", "dim") : run.prompt));
  if (run.payload === null) {
    lines.push(field("payload", paint("(none)", "dim")));
  } else {
    const indent = " ".repeat(LABEL_WIDTH);
    const [first, ...rest] = formatContent(run.payload, { width, maxLines: 20, indent });
    lines.push(field("payload", first.slice(LABEL_WIDTH)), ...rest);
  }
  return lines;
}
