import type { Database as SqliteDatabase } from "better-sqlite3";
import { ArchiveBusyError } from "../errors/archive.error.js";
import { UPSERT_META_SQL } from "../log/schema.js";

/** The meta key an archive holds while it runs: `{"pid":…,"since":…}`. */
export const ARCHIVE_LOCK_KEY = "archive.lock";

interface LockValue {
  pid: number;
  since: number;
}

/**
 * Claims the workspace's archive lock, a row in `meta` checked and written in one IMMEDIATE
 * transaction, so two archives (CLI and daemon, or two CLIs) never interleave. A lock left by
 * a process that no longer exists (crashed or killed) is taken over.
 *
 * @returns a function that releases the lock (only if it is still ours).
 * @throws ArchiveBusyError another live process holds the lock.
 */
export function acquireArchiveLock(db: SqliteDatabase, now: number): () => void {
  const mine: LockValue = { pid: process.pid, since: now };
  const text = JSON.stringify(mine);
  const read = db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
  db.transaction(() => {
    const held = parseLock(read.get(ARCHIVE_LOCK_KEY) as string | undefined);
    if (held !== null && isAlive(held.pid)) throw new ArchiveBusyError(held.pid, held.since);
    db.prepare(UPSERT_META_SQL).run(ARCHIVE_LOCK_KEY, text);
  }).immediate();
  return () => {
    db.prepare("DELETE FROM meta WHERE key = ? AND value = ?").run(ARCHIVE_LOCK_KEY, text);
  };
}

function parseLock(value: string | undefined): LockValue | null {
  if (value === undefined) return null;
  try {
    const parsed = JSON.parse(value) as Partial<LockValue>;
    if (Number.isSafeInteger(parsed.pid) && typeof parsed.since === "number") {
      return parsed as LockValue;
    }
  } catch {
    // An unreadable lock protects nothing: treat it as stale.
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
