import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { storePaths } from "../paths.js";
import { openLogDatabase } from "./open-log-db.js";
import { WalCheckpointer } from "./wal-checkpointer.js";

/** Commits `count` transactions of a few log rows each. */
function commitRows(db: SqliteDatabase, count: number, afterEach: () => void): void {
  const insert = db.prepare(
    "INSERT INTO log (ts, source, type, ref_id, payload) VALUES (?, 'sense:s', 'signal', ?, ?)",
  );
  const commit = db.transaction((n: number) => {
    for (let i = 0; i < 20; i += 1)
      insert.run(n, `ref-${n}-${i}`, JSON.stringify({ pad: "x".repeat(200) }));
  });
  for (let n = 0; n < count; n += 1) {
    commit.immediate(n);
    afterEach();
  }
}

describe(WalCheckpointer.name, () => {
  let root: string;
  let cleanup: () => void;
  let file: string;
  let db: SqliteDatabase;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    db = openLogDatabase(root);
    // Only the thread checkpoints: the committing connection's own checkpoints are off.
    db.pragma("wal_autocheckpoint = 0");
    file = storePaths(root).logDb;
  });
  afterEach(() => {
    if (db.open) db.close();
    cleanup();
  });

  it("copies what commits append to the WAL back into the database, from its thread", async () => {
    const checkpointer = WalCheckpointer.start(file, { intervalMs: 1, commitsPerCheckpoint: 5 });
    const before = statSync(file).size;
    commitRows(db, 10, () => undefined);
    // Nothing told the thread: the rows are only in the WAL.
    expect(statSync(file).size).toBe(before);

    commitRows(db, 50, () => checkpointer.notify());
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(before), {
      timeout: 10_000,
      interval: 10,
    });
    await checkpointer.stop();
    expect(db.prepare("SELECT count(*) FROM log").pluck().get()).toBe(60 * 20);
  });

  it("closes its connection when stopped, so the last connection's close removes the WAL", async () => {
    const checkpointer = WalCheckpointer.start(file, { intervalMs: 1, commitsPerCheckpoint: 5 });
    commitRows(db, 5, () => checkpointer.notify());
    await checkpointer.stop();
    await checkpointer.stop();
    checkpointer.notify();
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("reports a database it cannot open, and still stops", async () => {
    const onError = vi.fn();
    const missing = join(root, "data", "missing.db");
    const checkpointer = WalCheckpointer.start(missing, { onError });
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    expect(String(onError.mock.calls[0]?.[0])).toContain(missing);
    await checkpointer.stop();
  });

  it("does nothing as none(): the committing connection checkpoints by itself", async () => {
    const checkpointer = WalCheckpointer.none();
    expect(checkpointer.threaded).toBe(false);
    checkpointer.notify();
    await checkpointer.stop();
  });
});
