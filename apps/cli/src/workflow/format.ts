import type { RunStatus } from "@nerve/core";
import { paint, type Color } from "../common/output.js";
import { formatAgo } from "../common/relative-time.js";
import { formatTable, visibleLength } from "../common/table.js";

export { clip } from "../common/table.js";
export { outputWidth } from "../common/output.js";

/** A run status, coloured by how it is doing (colour only on a terminal, never with NO_COLOR). */
export function paintStatus(status: RunStatus): string {
  const color = statusColor(status);
  return color === null ? status : paint(status, color);
}

function statusColor(status: RunStatus): Color | null {
  switch (status) {
    case "queued":
      return "yellow";
    case "started":
      return "cyan";
    case "completed":
      return "green";
    case "failed":
    case "crashed":
      return "red";
    case "interrupted":
    case "dropped":
      return "dim";
  }
}

/** Local wall-clock time: `12:01:02` today, `2026-11-03 12:01:02` on another day. */
export function formatTime(ts: number, now = Date.now()): string {
  const date = new Date(ts);
  const clock = [date.getHours(), date.getMinutes(), date.getSeconds()].map(pad2).join(":");
  if (new Date(now).toDateString() === date.toDateString()) return clock;
  const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
  return `${day} ${clock}`;
}

/** `12:01:02 (4s ago)`. */
export function formatWhen(ts: number, now = Date.now()): string {
  return `${formatTime(ts, now)} (${formatAgo(ts, now)})`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * The line under a paged listing, or null when the page holds everything:
 * `showing 21–40 of 57 (use --offset 40)`.
 */
export function pagingLine(shown: number, offset: number, total: number): string | null {
  if (offset === 0 && shown >= total) return null;
  if (shown === 0) return `nothing at --offset ${offset}: there are ${total}`;
  const last = offset + shown;
  const next = last < total ? ` (use --offset ${last})` : "";
  return `showing ${offset + 1}–${last} of ${total}${next}`;
}

/** How to show a value in a thread or a log row. */
export interface ContentLayout {
  /** Characters per line, indent included; longer lines are cut (unless `maxLines` is null). */
  width: number;
  /** Lines at most; null to show everything, uncut. */
  maxLines: number | null;
  /** Put before every line. */
  indent: string;
}

/**
 * A value for reading: strings as they are, anything else as indented JSON; cut to the
 * layout's width and line count, saying how much was left out.
 */
export function formatContent(value: unknown, layout: ContentLayout): string[] {
  const text =
    typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? String(value));
  const lines = text.split("\n");
  const room = Math.max(8, layout.width - layout.indent.length);
  const kept = layout.maxLines === null ? lines : lines.slice(0, layout.maxLines);
  const out = kept.map(
    (line) =>
      layout.indent +
      (layout.maxLines !== null && line.length > room ? `${line.slice(0, room - 1)}…` : line),
  );
  const left = lines.length - kept.length;
  if (left > 0) {
    out.push(
      `${layout.indent}… ${left} more line${left === 1 ? "" : "s"} (--full shows everything)`,
    );
  }
  return out;
}

/** The width of the widest line of a table of plain (uncoloured) cells. */
export function tableWidth(headers: string[], rows: string[][]): number {
  return formatTable(headers, rows)
    .split("\n")
    .reduce((max, line) => Math.max(max, visibleLength(line)), 0);
}
