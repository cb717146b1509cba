import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { CLI, type CliRun } from "../../support/cli.js";

export interface TtyOptions {
  /** Terminal width; `script` gives the pseudo-terminal none unless told. */
  columns?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `nerve ...args` on a pseudo-terminal (`script` from util-linux), as a person at a
 * terminal would. stdout and stderr arrive merged, with `\r\n` line ends turned back into `\n`.
 */
export function nerveOnTty(args: string[], options: TtyOptions = {}): Promise<CliRun> {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(" ");
  const size = options.columns === undefined ? "" : `stty cols ${options.columns} rows 50; `;
  // A terminal user's environment: colours unless the test sets NO_COLOR itself.
  const { NO_COLOR: _inherited, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { ...inherited, NERVE_ROOT: "", ...options.env };
  return new Promise((resolve) => {
    execFile(
      "script",
      ["-qfec", `${size}${command}`, "/dev/null"],
      { cwd: tmpdir(), env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: stdout.replace(/\r\n/g, "\n"), stderr });
      },
    );
  });
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** Terminal escape sequences (colours, bold). */
export const ESCAPE = "\u001b[";
