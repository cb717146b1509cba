import { SenseRuntimeError } from "./sense-runtime.error.js";

/** One problem esbuild reported, positioned in the user's file when it has a position. */
export interface CompileProblem {
  /** Relative to the workspace root, e.g. `senses/cpu/compute.ts`; null without a position. */
  file: string | null;
  /** 1-based, or null. */
  line: number | null;
  /** 1-based, or null. */
  col: number | null;
  text: string;
}

/** `senses/cpu/compute.ts:3:10: Expected ";" but found "}"` */
export function formatProblem(problem: CompileProblem): string {
  if (problem.file === null) return problem.text;
  const at = [problem.file, problem.line, problem.col].filter((part) => part !== null).join(":");
  return `${at}: ${problem.text}`;
}

/** A sense's compute file (or a file it imports) does not compile; the sense is unavailable. */
export class SenseCompileError extends SenseRuntimeError {
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;

  constructor(
    readonly sense: string,
    readonly problems: CompileProblem[],
    options?: ErrorOptions,
  ) {
    const [first, ...rest] = problems;
    const more =
      rest.length === 0 ? "" : ` (and ${rest.length} more: ${rest.map(formatProblem).join("; ")})`;
    super(
      `sense ${sense} does not compile: ${first === undefined ? "unknown error" : formatProblem(first)}${more}`,
      options,
    );
    this.file = first?.file ?? null;
    this.line = first?.line ?? null;
    this.col = first?.col ?? null;
  }
}
