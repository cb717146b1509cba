import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PID_FILE = "nerve.pid";

export function pidFilePath(root: string): string {
  return join(root, PID_FILE);
}

/** The pid recorded in the workspace's pid file, or null when there is none or it is garbage. */
export function readPidFile(root: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(pidFilePath(root), "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function writePidFile(root: string, pid: number): void {
  writeFileSync(pidFilePath(root), `${pid}\n`, { mode: 0o644 });
}

/** Removes the pid file if it still names `pid` (a newer daemon's file is left alone). */
export function removePidFile(root: string, pid: number): void {
  if (readPidFile(root) === pid) rmSync(pidFilePath(root), { force: true });
}

/**
 * Whether a process with this pid is running (signal 0 probes without touching it). A zombie —
 * exited, not yet reaped, as happens where PID 1 does not reap orphans — counts as gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state letter follows the parenthesised command name, which may contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false; // No procfs (not Linux): signal 0 is all there is.
  }
}
