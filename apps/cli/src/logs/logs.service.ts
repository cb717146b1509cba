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
    for (const line of tailLines(file, options.lines ?? DEFAULT_LOG_LINES)) printLine(line);
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
}
