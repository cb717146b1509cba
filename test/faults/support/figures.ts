import type { TestContext } from "vitest";

/**
 * What a fault test did, summed by the fault reporter into the suite's closing table. Each test
 * records its own figures on its task's metadata, which crosses from the test worker to the
 * reporter with the test's result.
 */
export interface FaultFigures {
  /** Faults injected: kills, full disks, damaged files, bad requests, broken code. */
  faults: number;
  /** Restarts that followed them: of the daemon, and of workers. */
  restarts: number;
  /** Stored rows whose presence or content was checked after a fault. */
  rowsChecked: number;
  /** Rows that should have been there and were not (must be 0). */
  rowsLost: number;
  /** Workflow rounds (or signals) persisted more than once (must be 0). */
  duplicateRounds: number;
  /** Fuzzed inputs tried. */
  fuzzCases: number;
  /** Fuzzed inputs that crashed what they were fed to, or made it print a stack (must be 0). */
  crashes: number;
}

declare module "vitest" {
  interface TaskMeta {
    faults?: FaultFigures;
    /** Measurements worth a line under the summary table (load figures). */
    faultNotes?: string[];
  }
}

export const FIGURE_KEYS = [
  "faults",
  "restarts",
  "rowsChecked",
  "rowsLost",
  "duplicateRounds",
  "fuzzCases",
  "crashes",
] as const satisfies readonly (keyof FaultFigures)[];

export function emptyFigures(): FaultFigures {
  return {
    faults: 0,
    restarts: 0,
    rowsChecked: 0,
    rowsLost: 0,
    duplicateRounds: 0,
    fuzzCases: 0,
    crashes: 0,
  };
}

/** Adds `figures` to the running test's tally (call as often as needed). */
export function tally(context: Pick<TestContext, "task">, figures: Partial<FaultFigures>): void {
  const meta = context.task.meta;
  const current = (meta.faults ??= emptyFigures());
  for (const key of FIGURE_KEYS) current[key] += figures[key] ?? 0;
}

/** Adds a line the fault reporter prints under its table. */
export function note(context: Pick<TestContext, "task">, line: string): void {
  (context.task.meta.faultNotes ??= []).push(line);
}
