import type { BuildFailure, Message } from "esbuild";

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

/**
 * The message of a compile error: `<subject> does not compile: <first problem>`, then how many
 * more there are and what they say.
 */
export function compileErrorMessage(subject: string, problems: readonly CompileProblem[]): string {
  const [first, ...rest] = problems;
  const more =
    rest.length === 0 ? "" : ` (and ${rest.length} more: ${rest.map(formatProblem).join("; ")})`;
  return `${subject} does not compile: ${first === undefined ? "unknown error" : formatProblem(first)}${more}`;
}

/** Where the first problem is, for the `file`, `line` and `col` of a compile error. */
export function firstPosition(
  problems: readonly CompileProblem[],
): Pick<CompileProblem, "file" | "line" | "col"> {
  const first = problems[0];
  return { file: first?.file ?? null, line: first?.line ?? null, col: first?.col ?? null };
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

/** The problems of a failed esbuild build; anything else thrown is one problem in `source`. */
export function problemsOf(error: unknown, source: string): CompileProblem[] {
  if (!isBuildFailure(error) || error.errors.length === 0) {
    const text = error instanceof Error ? error.message : String(error);
    return [{ file: source, line: null, col: null, text }];
  }
  return error.errors.map(toProblem);
}

function toProblem(message: Message): CompileProblem {
  const at = message.location;
  if (at === null) return { file: null, line: null, col: null, text: message.text };
  // esbuild columns are 0-based; editors and our config errors count from 1.
  return { file: at.file, line: at.line, col: at.column + 1, text: message.text };
}
