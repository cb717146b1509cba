import { existsSync, readdirSync, statSync } from "node:fs";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { DAY_MS } from "../archive/archive-file.js";
import { LineageReader } from "../lineage/lineage-reader.js";
import { LogStore } from "../log/log-store.js";
import { newRunId } from "../runs/run-id.js";
import { RunStore } from "../runs/run-store.js";
import { openLogDatabase } from "../log/open-log-db.js";
import { storePaths } from "../paths.js";
import { StoreVerifier } from "../verify/store-verifier.js";
import { ARCHIVE_PRUNED_KEY, StoreRetention, type RetentionPolicy } from "./store-retention.js";

const DAY1 = Date.UTC(2026, 0, 1);
const NOW = Date.UTC(2026, 0, 21, 12);
const KEEP_ALL: RetentionPolicy = {
  archiveAfterMs: 7 * DAY_MS,
  deleteArchiveAfterMs: null,
  maxSizeBytes: null,
};

describe(StoreRetention.name, () => {
  let root: string;
  let cleanup: () => void;
  let db: SqliteDatabase;

  /** `perDay` rows of ~1 KiB on each of Jan 1..21, through LogStore. */
  const seed = async (perDay: number): Promise<void> => {
    const log = new LogStore(db);
    const filler = "x".repeat(1_000);
    for (let day = 0; day < 21; day += 1) {
      for (let i = 0; i < perDay; i += 1) {
        log.append({
          ts: DAY1 + day * DAY_MS + i * 1_000,
          source: "sense:cpu",
          type: "signal",
          payload: { day, i, filler },
        });
      }
    }
    await log.close();
  };
  const ids = (): number[] =>
    db.prepare("SELECT id FROM log ORDER BY id").pluck().all() as number[];
  const archivedDays = (): string[] => readdirSync(storePaths(root).archive).sort();
  const verify = () => new StoreVerifier(db, root).verify();

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    db = openLogDatabase(root);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it("archives whole days older than archive_after and gives the freed pages back", async () => {
    await seed(200);
    const runs = new RunStore(db, undefined, () => DAY1 + 3_600_000);
    runs.create({ workflow: "w", status: "dropped", maxRounds: 1, source: "cli" });
    const file = storePaths(root).logDb;
    db.pragma("wal_checkpoint(TRUNCATE)");
    const before = statSync(file).size;
    const result = await new StoreRetention(db, root).run(KEEP_ALL, NOW);
    db.pragma("wal_checkpoint(TRUNCATE)");
    expect(result.archived.days).toHaveLength(13); // Jan 1..13: older than Jan 14, 00:00.
    expect(result.archived.rows).toBe(13 * 200);
    expect(result.archived.runs).toBe(1); // the ended run of Jan 1 follows its day
    expect(db.prepare("SELECT count(*) FROM workflow_runs").pluck().get()).toBe(0);
    expect(result.vacuumedBytes).toBeGreaterThan(0);
    expect(statSync(file).size).toBeLessThan(before);
    expect(ids()).toHaveLength(8 * 200);
    expect(result.pruned).toEqual([]);
    expect((await verify()).ok).toBe(true);
  });

  it("deletes archived days older than delete_archive_after, and verify starts after them", async () => {
    await seed(5);
    const policy = { ...KEEP_ALL, deleteArchiveAfterMs: 10 * DAY_MS };
    const result = await new StoreRetention(db, root).run(policy, NOW);
    expect(result.pruned.map((p) => p.day)).toEqual([
      "2026-01-01",
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
      "2026-01-05",
      "2026-01-06",
      "2026-01-07",
      "2026-01-08",
      "2026-01-09",
      "2026-01-10",
    ]);
    expect(result.pruned.every((p) => p.reason === "age" && p.rows === 5 && p.bytes > 0)).toBe(
      true,
    );
    expect(archivedDays()[0]).toBe("2026-01-11.jsonl");
    const anchor = JSON.parse(
      db.prepare("SELECT value FROM meta WHERE key = ?").pluck().get(ARCHIVE_PRUNED_KEY) as string,
    );
    expect(anchor).toMatchObject({ day: "2026-01-10", lastId: 50 });
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.rows.archive + report.rows.db).toBe(11 * 5);
  });

  it("deletes the lineage of the computes of pruned days, and keeps that of days only archived", async () => {
    await seed(2);
    // One compute a day at noon, made by the signal of the day before, making a signal.
    const log = new LogStore(db);
    for (let day = 0; day < 21; day += 1) {
      const ts = DAY1 + day * DAY_MS + DAY_MS / 2;
      log.recordCompute({
        id: newRunId(ts),
        sense: "cpu",
        trigger: "signal",
        ts,
        durationMs: 1,
        outcome: "signal",
        effect: `signal-${day}`,
        causes: day === 0 ? [] : [`signal-${day - 1}`],
      });
    }
    await log.close();
    const policy = { ...KEEP_ALL, deleteArchiveAfterMs: 10 * DAY_MS };
    const result = await new StoreRetention(db, root).run(policy, NOW);
    expect(result.pruned.at(-1)?.day).toBe("2026-01-10");
    expect(result.lineagePruned).toBe(10);
    const effects = db
      .prepare("SELECT effect FROM lineage_compute ORDER BY ts")
      .pluck()
      .all() as string[];
    // Jan 11..21 stay: Jan 11..13 are archived, not deleted, and `nerve trace` reads them there.
    expect(effects).toEqual(Array.from({ length: 11 }, (_, i) => `signal-${i + 10}`));
    const causes = db
      .prepare("SELECT signal_id FROM lineage_cause ORDER BY signal_id")
      .pluck()
      .all() as string[];
    expect(causes).toEqual(Array.from({ length: 11 }, (_, i) => `signal-${i + 9}`).sort());
    const lineage = new LineageReader(db);
    expect(lineage.madeBy("signal-9")).toBeNull();
    expect(lineage.madeBy("signal-10")?.causes).toEqual(["signal-9"]);
  });

  it("still finds a changed row in what is left after a prune", async () => {
    await seed(5);
    await new StoreRetention(db, root).run({ ...KEEP_ALL, deleteArchiveAfterMs: 10 * DAY_MS }, NOW);
    db.exec('DROP TRIGGER "log_no_update"');
    db.prepare("UPDATE log SET payload = '{}' WHERE id = (SELECT max(id) FROM log)").run();
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: "row-changed", id: 21 * 5 });
  });

  it("keeps the store under max_size, oldest days first, and the file shrinks", async () => {
    await seed(300); // ~6.5 MiB of rows
    const retention = new StoreRetention(db, root);
    const max = 2 * 1024 * 1024;
    const before = retention.storeBytes();
    expect(before).toBeGreaterThan(max);
    const result = await retention.run({ ...KEEP_ALL, maxSizeBytes: max }, NOW);
    expect(result.overLimit).toBe(false);
    expect(result.bytesAfter).toBeLessThanOrEqual(max);
    expect(retention.storeBytes()).toBeLessThanOrEqual(max);
    expect(result.pruned.length).toBeGreaterThan(0);
    expect(result.pruned.every((p) => p.reason === "size")).toBe(true);
    const prunedDays = result.pruned.map((p) => p.day);
    expect(prunedDays).toEqual([...prunedDays].sort());
    // Today's rows are never archived nor deleted.
    expect(
      db
        .prepare("SELECT count(*) FROM log WHERE ts >= ?")
        .pluck()
        .get(Date.UTC(2026, 0, 21)),
    ).toBe(300);
    expect((await verify()).ok).toBe(true);
  });

  it("says when today's rows alone are over max_size", async () => {
    await seed(50);
    const result = await new StoreRetention(db, root).run({ ...KEEP_ALL, maxSizeBytes: 1024 }, NOW);
    expect(result.overLimit).toBe(true);
    expect(ids().length).toBe(50);
  });

  it("leaves every row exactly once when stopped between the anchor and the unlink", async () => {
    await seed(5);
    const policy = { ...KEEP_ALL, deleteArchiveAfterMs: 15 * DAY_MS };
    const crash = new StoreRetention(db, root, {
      beforeUnlink: () => {
        throw new Error("killed");
      },
    });
    await expect(crash.run(policy, NOW)).rejects.toThrow("killed");
    expect(existsSync(`${storePaths(root).archive}/2026-01-01.jsonl`)).toBe(true);
    // The file is still there, but verify already starts after it.
    expect((await verify()).ok).toBe(true);
    const again = await new StoreRetention(db, root).run(policy, NOW);
    expect(again.pruned.map((p) => p.day)).toEqual([
      "2026-01-01",
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
      "2026-01-05",
    ]);
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.rows.archive + report.rows.db).toBe(16 * 5);
  });

  it("rejects a policy that is not one", async () => {
    await expect(
      new StoreRetention(db, root).run({ ...KEEP_ALL, maxSizeBytes: 0 }, NOW),
    ).rejects.toThrow(/maxSizeBytes must be null or greater than 0/);
  });
});
