import { formatProblem, type CompileProblem } from "../../process/compile-problem.js";

/** Where loading a user module went wrong. */
export type ModuleStage = "compile" | "import" | "init";

/** A module listed under `modules:` in nerve.yaml could not be loaded; the daemon runs on without it. */
export abstract class UserModuleError extends Error {
  abstract readonly stage: ModuleStage;

  constructor(
    /** The module file as nerve.yaml lists it, relative to the workspace root. */
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The module file, or a file it imports, does not compile. */
export class ModuleCompileError extends UserModuleError {
  override readonly name = "ModuleCompileError";
  readonly stage = "compile";

  constructor(
    file: string,
    readonly problems: CompileProblem[],
    options?: ErrorOptions,
  ) {
    const listed = problems.length === 0 ? ["unknown error"] : problems.map(formatProblem);
    super(file, `module ${file} does not compile: ${listed.join("; ")}`, options);
  }
}

/** Evaluating the compiled module threw (an error at its top level or in a file it imports). */
export class ModuleImportError extends UserModuleError {
  override readonly name = "ModuleImportError";
  readonly stage = "import";

  constructor(file: string, cause: unknown) {
    super(file, `module ${file} could not be imported: ${messageOf(cause)}`, { cause });
  }
}

/** The file does not export exactly one Nest module to load. */
export class ModuleExportError extends UserModuleError {
  override readonly name = "ModuleExportError";
  readonly stage = "import";

  constructor(file: string, reason: string) {
    super(file, `module ${file} ${reason}`);
  }
}

/** Creating the module's providers, or one of its init hooks, threw or took too long. */
export class ModuleInitError extends UserModuleError {
  override readonly name = "ModuleInitError";
  readonly stage = "init";

  constructor(file: string, cause: unknown) {
    super(file, `module ${file} failed to start: ${messageOf(cause)}`, { cause });
  }
}

/** A step of a user module (its start or its close) did not finish in time. */
export class ModuleTimeoutError extends Error {
  override readonly name = "ModuleTimeoutError";

  constructor(
    readonly file: string,
    readonly step: "start" | "close",
    readonly timeoutMs: number,
  ) {
    super(
      `it did not ${step} within ${timeoutMs} ms: expected its ` +
        (step === "start"
          ? "constructors, onModuleInit and onApplicationBootstrap"
          : "onModuleDestroy, beforeApplicationShutdown and onApplicationShutdown") +
        " hooks to settle",
    );
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
