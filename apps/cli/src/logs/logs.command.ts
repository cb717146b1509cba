import { Command, Option } from "nest-commander";
import { join } from "node:path";
import { UsageError } from "../common/cli-errors.js";
import { printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { WorkspaceCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { LogFollower } from "./log-follower.js";
import { tailLines } from "./log-files.js";

export interface LogsOptions extends WorkspaceOptions {
  lines?: number;
  follow?: boolean;
}

/** Prints the tail of logs/nerve.log and, with --follow, what is appended (across rotation). */
export async function showLogs(options: LogsOptions): Promise<void> {
  const root = findWorkspace({ root: options.root });
  const file = join(root, "logs", "nerve.log");
  for (const line of tailLines(file, options.lines ?? 50)) printLine(line);
  if (!options.follow) return;
  const follower = new LogFollower(file, (line) => printLine(line));
  follower.start();
  await new Promise<void>((resolve) => {
    const stop = () => {
      follower.stop();
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** `-n N` and `-f` for `nerve logs` and `nerve daemon logs`. */
export abstract class LogsOptionsCommand extends WorkspaceCommand<LogsOptions> {
  @Option({ flags: "-n, --lines <count>", description: "how many lines to show (default 50)" })
  parseLines(value: string): number {
    const count = Number(value);
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new UsageError(`-n: expected a whole number of lines, got "${value}"`);
    }
    return count;
  }

  @Option({ flags: "-f, --follow", description: "keep printing new lines (Ctrl+C stops)" })
  parseFollow(): boolean {
    return true;
  }
}

@Command({ name: "logs", description: "the daemon's text log (logs/nerve.log): tail, follow" })
export class LogsCommand extends LogsOptionsCommand {
  run(_params: string[], options: LogsOptions): Promise<void> {
    return showLogs(options);
  }
}
