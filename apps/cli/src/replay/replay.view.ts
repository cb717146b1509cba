import { outputWidth, paint } from "../common/output.js";
import { formatTable } from "../common/table.js";
import type { Difference, LaunchOutcome, Outcome, ReplayReport } from "./replay-types.js";

/** The differences as a table (one row each), then a summary line. */
export function renderReplay(report: ReplayReport, width = outputWidth()): string[] {
  const lines: string[] = [];
  if (report.differences.length > 0) {
    const rows = report.differences.map((d) => [
      new Date(d.cause.ts).toISOString(),
      d.sense,
      d.kind,
      detail(d),
    ]);
    lines.push(
      formatTable(["CAUSE AT", "SENSE", "DIFFERENCE", "RECORDED → REPLAYED"], rows, {
        maxWidth: width,
      }),
      "",
    );
  }
  const { recorded, replayed } = report;
  const summary =
    `${report.differences.length} difference${report.differences.length === 1 ? "" : "s"}: ` +
    `${report.fed} recorded signals re-fed from ${new Date(report.from).toISOString()} to ` +
    `${new Date(report.to).toISOString()} into ${report.senses.join(", ")}; launches ` +
    `${recorded.launches} recorded, ${replayed.launches} replayed; signals ${recorded.signals} ` +
    `recorded, ${replayed.signals} replayed`;
  lines.push(paint(summary, report.differences.length === 0 ? "green" : "yellow"));
  if (report.into !== null) lines.push(`the copy and its data stay in ${report.into}`);
  return lines;
}

/** What differs, recorded → replayed; for a changed launch or thread, only what changed. */
function detail(d: Difference): string {
  const { recorded: a, replayed: b } = d;
  if (a?.kind === "launch" && b?.kind === "launch") {
    if (a.workflow !== b.workflow) return `workflow ${a.workflow} → ${b.workflow}`;
    if (d.kind === "launch.changed" && a.prompt !== b.prompt) {
      return `prompt ${JSON.stringify(a.prompt)} → ${JSON.stringify(b.prompt)}`;
    }
    if (d.kind === "launch.changed") {
      return `payload ${JSON.stringify(a.payload)} → ${JSON.stringify(b.payload)}`;
    }
    return `${thread(a)} → ${thread(b)}`;
  }
  if (a?.kind === "signal" && b?.kind === "signal") {
    return `${JSON.stringify(a.payload)} → ${JSON.stringify(b.payload)}`;
  }
  return `${describe(a)} → ${describe(b)}`;
}

function thread(launch: LaunchOutcome): string {
  return `${launch.status}${launch.roles.length > 0 ? `: ${launch.roles.join(", ")}` : ""}`;
}

function describe(outcome: Outcome | null): string {
  if (outcome === null) return "nothing";
  switch (outcome.kind) {
    case "signal":
      return `signal ${JSON.stringify(outcome.payload)}`;
    case "error":
      return `error: ${outcome.message}`;
    case "launch":
      return `${outcome.workflow} ${JSON.stringify(outcome.prompt)} (${thread(outcome)})`;
  }
}
