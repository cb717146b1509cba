import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IpcLog } from "../server-unix.js";

/** A temporary workspace folder; `cleanup` removes it. */
export function makeTempRoot(prefix = "nerve-ipc-"): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Leaves a stale socket file at `path`: a child process binds it and dies by SIGKILL, so nothing
 * unlinks it and nothing listens on it any more.
 */
export function leaveStaleSocket(path: string): void {
  const script = `require("node:net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"));`;
  spawnSync(process.execPath, ["-e", script], { stdio: "ignore" });
}

/** An IpcLog that keeps what it is told. */
export class MemoryLog implements IpcLog {
  readonly entries: { level: "error"; tag: string; message: string; stack?: string }[] = [];

  error(tag: string, message: string, stack?: string): void {
    this.entries.push({ level: "error", tag, message, stack });
  }
}

/** Resolves after `ms` milliseconds (to make handlers finish out of order, never to assert time). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
