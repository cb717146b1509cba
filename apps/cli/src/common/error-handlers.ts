import { CliError, ExitCode } from "./cli-errors.js";
import { printError } from "./output.js";

/**
 * Errors thrown by a command: a one-line reason on stderr (the stack only with NERVE_DEBUG=1)
 * and the exit code the error carries.
 */
export function handleCommandError(error: unknown): void {
  const debug = process.env.NERVE_DEBUG === "1";
  if (error instanceof CliError) {
    if (error.message) printError(`nerve: ${error.message}`);
    if (debug && error.stack) printError(error.stack);
    process.exitCode = error.exitCode;
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  printError(`nerve: ${message.split("\n")[0]}`);
  if (debug && error instanceof Error && error.stack) printError(error.stack);
  process.exitCode = ExitCode.failure;
}

/** What commander reports when it stops on its own (help, version, a usage error). */
export interface UsageOutcome {
  exitCode: number;
  code: string;
}

/**
 * Commander's own outcomes: help and version exit 0; an unknown command or option, a missing
 * argument and the like are usage errors (exit 2). Commander has already printed the reason,
 * with a "did you mean" where one is close.
 */
export function handleUsageError(error: Error | UsageOutcome): never {
  process.exit("exitCode" in error && error.exitCode === 0 ? ExitCode.ok : ExitCode.usage);
}
