/** Exit codes of the `nerve` CLI. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  daemonNotRunning: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the user can act on: printed as one line on stderr, no stack unless NERVE_DEBUG=1. */
export class CliError extends Error {
  override readonly name: string = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failure,
  ) {
    super(message);
  }
}

/** Bad arguments or options (exit 2). */
export class UsageError extends CliError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** The command needs a running daemon and there is none (exit 3). */
export class DaemonNotRunningError extends CliError {
  override readonly name = "DaemonNotRunningError";
  constructor(root: string) {
    super(
      `no daemon is running for ${root}; start one with \`nerve daemon start --root ${root}\``,
      ExitCode.daemonNotRunning,
    );
  }
}

/** A command ran and its outcome is a failure that it has already reported (e.g. invalid config). */
export class ReportedFailure extends CliError {
  override readonly name = "ReportedFailure";
  constructor(exitCode: ExitCode = ExitCode.failure) {
    super("", exitCode);
  }
}
