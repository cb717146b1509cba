import { Injectable } from "@nestjs/common";
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DAEMON_NODE_FLAGS, type HealthResult } from "@nerve/core";
import { isProcessAlive, readPidFile } from "@nerve/daemon/client";
import { CliError } from "../common/cli-errors.js";
import { printError } from "../common/output.js";
import { tailLines } from "../logs/log-files.js";
import { askDaemonIfRunning } from "./daemon-client.js";

/** stdout and stderr of the detached daemon process (start-up crashes land here). */
export const DAEMON_OUT_FILE = "daemon.out";

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

export interface StartOutcome {
  pid: number;
  alreadyRunning: boolean;
}

export interface StopOutcome {
  pid: number | null;
  wasRunning: boolean;
  killed: boolean;
}

/** Starts and stops the workspace's background daemon. */
@Injectable()
export class DaemonControlService {
  health(root: string): Promise<HealthResult | null> {
    return askDaemonIfRunning(root, "health", {});
  }

  /**
   * Starts the daemon in the background and returns once it answers `health` and its pid file
   * is written. A running daemon
   * is left as it is; a stale pid file or socket is cleaned up by the new daemon.
   */
  async start(root: string): Promise<StartOutcome> {
    const running = await this.health(root);
    if (running) return { pid: running.pid, alreadyRunning: true };

    const logs = join(root, "logs");
    mkdirSync(logs, { recursive: true });
    const out = openSync(join(logs, DAEMON_OUT_FILE), "a");
    // require.resolve rather than import.meta.resolve: the CLI also runs as a CommonJS bundle.
    const main = createRequire(import.meta.url).resolve("@nerve/daemon/main");
    const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, main, "--root", root], {
      detached: true,
      stdio: ["ignore", out, out],
      env: process.env,
    });
    closeSync(out);
    const early: { exit: string | null } = { exit: null };
    child.once(
      "exit",
      (code, signal) => (early.exit = signal ? `signal ${signal}` : `code ${code}`),
    );
    child.unref();

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const health = await this.health(root);
      // The socket answers a moment before the pid file is written: wait for both, so that
      // whoever reads the pid file next (`nerve daemon stop`, a supervisor) finds this daemon.
      if (health && readPidFile(root) === health.pid) {
        return { pid: health.pid, alreadyRunning: false };
      }
      if (early.exit) break;
      await sleep(POLL_MS);
    }
    if (!early.exit) child.kill("SIGTERM");
    this.printLogTail(root);
    throw new CliError(
      early.exit
        ? `the daemon exited during start-up (${early.exit}); its log is above`
        : `the daemon did not answer within ${START_TIMEOUT_MS / 1000}s; its log is above`,
    );
  }

  /**
   * Asks the daemon to stop gracefully and waits until its process is gone; a daemon that does
   * not answer the socket but is alive gets SIGTERM, and SIGKILL if it outlives the timeout.
   */
  async stop(root: string): Promise<StopOutcome> {
    const health = await this.health(root);
    const pid = health?.pid ?? readPidFile(root);
    if (pid === null || !isProcessAlive(pid)) return { pid, wasRunning: false, killed: false };
    if (health) await askDaemonIfRunning(root, "shutdown", {});
    else process.kill(pid, "SIGTERM");

    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!isProcessAlive(pid)) return { pid, wasRunning: true, killed: false };
      await sleep(POLL_MS);
    }
    process.kill(pid, "SIGKILL");
    return { pid, wasRunning: true, killed: true };
  }

  private printLogTail(root: string): void {
    for (const file of [join(root, "logs", DAEMON_OUT_FILE), join(root, "logs", "nerve.log")]) {
      const lines = tailLines(file, 20);
      if (lines.length === 0) continue;
      printError(`--- ${file} (last ${lines.length} lines)`);
      for (const line of lines) printError(line);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
