import { outputWidth, paint } from "../common/output.js";
import { formatTable } from "../common/table.js";
import type { Difference, Outcome, ReplayReport } from "./replay-types.js";

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

function detail(d: Difference): string {
  return `${describe(d.recorded)} → ${describe(d.replayed)}`;
}

function describe(outcome: Outcome | null): string {
  if (outcome === null) return "nothing";
  switch (outcome.kind) {
    case "signal":
      return `signal ${JSON.stringify(outcome.payload)}`;
    case "error":
      return `error: ${outcome.message}`;
    case "launch":
      return (
        `${outcome.workflow} ${JSON.stringify(outcome.prompt)} (${outcome.status}` +
        `${outcome.roles.length > 0 ? `: ${outcome.roles.join(", ")}` : ""})`
      );
  }
}
