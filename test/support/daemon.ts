import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { LogQuery, LogRow } from "@nerve/core";
import { StoreReader, openLogDatabase } from "@nerve/store/reader";
import { nerve, type CliRun } from "./cli.js";
import { waitFor } from "./workspace.js";

/** Starts the real daemon for `root` through the CLI and fails the test if it does not come up. */
export async function startDaemon(root: string): Promise<number> {
  const run = await nerve(["daemon", "start", "--json", "--root", root]);
  if (run.code !== 0) throw new Error(`daemon start failed (${run.code}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { pid: number }).pid;
}

/** Stops it through the CLI; if that fails, kills whatever the pid file names. */
export async function stopDaemon(root: string): Promise<CliRun> {
  const run = await nerve(["daemon", "stop", "--root", root]);
  if (run.code !== 0) killFromPidFile(root);
  return run;
}

export function killFromPidFile(root: string): void {
  const file = join(root, "nerve.pid");
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, "utf8"));
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Log rows of the workspace (oldest first), read as the CLI would, without the daemon's help. */
export function logRows(root: string, query: LogQuery = {}): LogRow[] {
  if (!existsSync(join(root, "data", "logs.db"))) return [];
  const db = openLogDatabase(root, { readonly: true });
  try {
    return new StoreReader(db).query({ order: "asc", limit: 100_000, ...query });
  } finally {
    db.close();
  }
}

/** Waits until at least `count` log rows match. */
export function waitForRows(
  root: string,
  query: LogQuery,
  count: number,
  timeoutMs?: number,
): Promise<LogRow[]> {
  return waitFor(
    () => {
      const rows = logRows(root, query);
      return rows.length >= count ? rows : undefined;
    },
    `${count} log rows matching ${JSON.stringify(query)}`,
    timeoutMs,
  );
}

/** Pids of live child processes of `pid` (the daemon's workers). */
export function childPids(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid; the name (field 2) may hold spaces.
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}
