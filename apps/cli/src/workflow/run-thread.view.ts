import type { WorkflowRunView } from "@nerve/core";
import type { RunThread } from "@nerve/store/reader";
import { paint } from "../common/output.js";
import { clip, visibleLength } from "../common/table.js";
import { formatContent, formatWhen, paintStatus } from "./format.js";

/** How much of each message to show. */
export interface ThreadLayout {
  /** Characters per line. */
  width: number;
  /** Show every message whole instead of a few lines cut to the width. */
  full: boolean;
  /** The `--before` round the thread was cut at, if any. */
  before?: number;
}

/** Lines of a round's content shown without `--full`. */
export const ROUND_PREVIEW_LINES = 8;

const INDENT = "  ";

/**
 * `nerve workflow thread` for people: the run in one line, the start message (prompt and
 * payload), how many older rounds the budget left out, then each round as a header
 * (`#3 analyst · 12:01:02 (4s ago)`) over its content.
 */
export function renderThread(
  run: WorkflowRunView,
  thread: RunThread,
  layout: ThreadLayout,
  now = Date.now(),
): string[] {
  const content = (value: unknown, indent = INDENT) =>
    formatContent(value, {
      width: layout.width,
      maxLines: layout.full ? null : ROUND_PREVIEW_LINES,
      indent,
    });
  const lines = [
    ...joinFitting(
      [
        paint(`run ${run.runId}`, "bold"),
        run.workflow,
        paintStatus(run.status),
        `${run.rounds}/${run.maxRounds} rounds`,
      ],
      layout.width,
    ),
    "",
  ];
  const start = thread.start;
  if (start === null) {
    lines.push(paint("(no start message committed yet)", "dim"));
  } else {
    lines.push(`${paint("start", "bold")} · ${formatWhen(start.ts, now)}`);
    const label = `${INDENT}prompt: `;
    const prompt = layout.full ? start.prompt : clip(start.prompt, layout.width - label.length);
    lines.push(`${label}${start.prompt === "" ? paint("(none)", "dim") : prompt}`);
    if (start.payload === null || start.payload === undefined) {
      lines.push(`${INDENT}payload: ${paint("(none)", "dim")}`);
    } else {
      lines.push(`${INDENT}payload:`);
      lines.push(...content(start.payload, INDENT + INDENT));
    }
  }
  if (thread.elided > 0) {
    lines.push("");
    lines.push(
      paint(
        `${thread.elided} earlier round${thread.elided === 1 ? "" : "s"} left out (--budget)`,
        "dim",
      ),
    );
  }
  if (thread.rounds.length === 0 && thread.elided === 0) {
    const none =
      layout.before === undefined ? "(no rounds yet)" : `(no rounds before #${layout.before})`;
    lines.push("", paint(none, "dim"));
  }
  for (const round of thread.rounds) {
    lines.push("");
    lines.push(`${paint(`#${round.round} ${round.role}`, "cyan")} · ${formatWhen(round.ts, now)}`);
    lines.push(...content(round.content));
  }
  return lines;
}

/** Parts joined with ` · `, starting a new (indented) line where the next would not fit. */
function joinFitting(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const part of parts) {
    const joined = line === "" ? part : `${line} · ${part}`;
    if (line !== "" && visibleLength(joined) > width) {
      lines.push(line);
      line = `${INDENT}${part}`;
    } else {
      line = joined;
    }
  }
  lines.push(line);
  return lines;
}
