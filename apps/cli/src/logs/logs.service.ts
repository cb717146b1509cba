import { Injectable } from "@nestjs/common";
import { join } from "node:path";
import { printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import { LogFollower } from "./log-follower.js";
import { tailLines } from "./log-files.js";

export interface LogsOptions extends WorkspaceOptions {
  lines?: number;
  follow?: boolean;
}

/** Lines shown when `-n` is not given. */
export const DEFAULT_LOG_LINES = 50;

/** `nerve logs`: the tail of logs/nerve.log and, with --follow, what is appended (across rotation). */
@Injectable()
export class LogsService {
  async show(options: LogsOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const file = join(root, "logs", "nerve.log");
    const lines = options.lines ?? DEFAULT_LOG_LINES;
    if (!options.follow) {
      for (const line of tailLines(file, lines)) printLine(line);
      return;
    }
    // Follow from the end first, then tail up to where following began: a line appended while
    // the tail is printed is neither lost nor shown twice.
    const follower = new LogFollower(file, (line) => printLine(line));
    const start = follower.start();
    for (const line of tailLines(file, lines, start)) printLine(line);
    await new Promise<void>((resolve) => {
      const stop = () => {
        follower.stop();
        resolve();
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  }
}
