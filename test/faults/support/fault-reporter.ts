import type { Reporter, TestModule } from "vitest/node";
import { emptyFigures, FIGURE_KEYS, type FaultFigures } from "./figures.js";

const LABELS: Record<keyof FaultFigures, string> = {
  faults: "faults injected",
  restarts: "restarts",
  rowsChecked: "rows checked",
  rowsLost: "rows lost*",
  duplicateRounds: "duplicate rounds*",
  fuzzCases: "fuzz cases",
  crashes: "crashes*",
};

/**
 * Ends the fault suite with its summary table — the figures every test recorded with `tally`,
 * per file and in total — and one plain closing line, `N passed, N failed`.
 */
export default class FaultReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    const total = emptyFigures();
    const rows: [string, FaultFigures][] = [];
    const notes: string[] = [];
    const skipped: string[] = [];
    let passed = 0;
    let failed = 0;
    for (const module of testModules) {
      const figures = emptyFigures();
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === "passed") passed++;
        else if (result.state === "failed") failed++;
        // A test that skipped itself says why (a fault this machine cannot inject).
        else if (result.state === "skipped" && result.note) {
          skipped.push(`skipped: ${test.fullName} (${result.note})`);
        }
        notes.push(...(test.meta().faultNotes ?? []));
        const recorded = test.meta().faults;
        if (recorded === undefined) continue;
        for (const key of FIGURE_KEYS) figures[key] += recorded[key];
      }
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) failed++;
      for (const key of FIGURE_KEYS) total[key] += figures[key];
      rows.push([
        module.moduleId.replace(/^.*\/test\/faults\//, "").replace(/\.fault\.ts$/, ""),
        figures,
      ]);
    }
    rows.sort(([a], [b]) => a.localeCompare(b));
    rows.push(["total", total]);
    const measured = [...notes, ...skipped].map((line) => `${line}\n`).join("");
    process.stdout.write(`\n${table(rows)}\n${measured}${passed} passed, ${failed} failed\n`);
  }
}

function table(rows: [string, FaultFigures][]): string {
  const header = ["", ...FIGURE_KEYS.map((key) => LABELS[key])];
  const body = rows.map(([name, figures]) => [
    name,
    ...FIGURE_KEYS.map((key) => String(figures[key])),
  ]);
  const widths = header.map((cell, i) =>
    Math.max(cell.length, ...body.map((row) => row[i].length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ");
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [
    "Fault suite summary",
    line(header),
    rule,
    ...body.slice(0, -1).map(line),
    rule,
    line(body[body.length - 1]),
    "* must be 0",
  ].join("\n");
}
