import {
  compileErrorMessage,
  firstPosition,
  type CompileProblem,
} from "../../process/compile-problem.js";
import { SenseRuntimeError } from "./sense-runtime.error.js";

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
    super(compileErrorMessage(`sense ${sense}`, problems), options);
    ({ file: this.file, line: this.line, col: this.col } = firstPosition(problems));
  }
}
