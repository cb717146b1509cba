import {
  compileErrorMessage,
  firstPosition,
  type CompileProblem,
} from "../../process/compile-problem.js";
import { WorkflowRuntimeError } from "./workflow-runtime.error.js";

/** A workflow's definition file (or a file it imports) does not compile. */
export class WorkflowCompileError extends WorkflowRuntimeError {
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;

  constructor(
    readonly workflow: string,
    readonly problems: CompileProblem[],
    options?: ErrorOptions,
  ) {
    super(compileErrorMessage(`workflow ${workflow}`, problems), options);
    ({ file: this.file, line: this.line, col: this.col } = firstPosition(problems));
  }
}

/** A workflow worker did not become ready: its init failed, it exited, or it did not answer. */
export class WorkflowWorkerInitError extends WorkflowRuntimeError {
  constructor(
    readonly workflow: string,
    readonly reason: string,
    /** True when the definition itself is at fault (a respawn would fail the same way). */
    readonly definitionFault: boolean,
  ) {
    super(`worker of workflow ${workflow} did not start: ${reason}`);
  }
}

/** A workflow worker died on its own while runs were in flight. */
export class WorkflowWorkerExitedError extends WorkflowRuntimeError {
  constructor(
    readonly workflow: string,
    readonly code: number | null,
    readonly signal: string | null,
    fatal: string | null,
  ) {
    super(
      `worker of workflow ${workflow} ` +
        (signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? "unknown"}`) +
        (fatal === null ? "" : ` (it reported: ${fatal})`),
    );
  }
}
