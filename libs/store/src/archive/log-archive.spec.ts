import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { ArchiveBusyError, ArchiveFileError } from "../errors/archive.error.js";
import { openLogDatabase } from "../log/open-log-db.js";
import { UPSERT_META_SQL } from "../log/schema.js";
import { storePaths } from "../paths.js";
import { StoreReader } from "../reader/store-reader.js";
import { ARCHIVE_LOCK_KEY } from "./archive-lock.js";
import { DAY_MS } from "./archive-file.js";
import { ARCHIVE_LAST_DAY_KEY, LogArchive, type ArchiveProgress } from "./log-archive.js";

const NOW = Date.UTC(2026, 0, 10, 12); // 2026-01-10T12:00Z
const DAY6 = Date.UTC(2026, 0, 6);
const ONE_DAY = DAY_MS;

interface Line {
  id: number;
  ts: number;
  source: string;
  type: string;
  refId: string | null;
  payload: unknown;
}

describe(LogArchive.name, () => {
  let root: string;
  let cleanup: () => void;
  let db: Database;
  let dir: string;

  const insert = (ts: number, payload: unknown = { ts }, refId: string | null = null): void => {
    db.prepare(
      "INSERT INTO log (ts, source, type, ref_id, payload) VALUES (?, 'sense:cpu', 'signal', ?, ?)",
    ).run(ts, refId, JSON.stringify(payload));
  };
  const dbIds = (): number[] =>
    db.prepare("SELECT id FROM log ORDER BY id").pluck().all() as number[];
  const fileLines = (day: string): Line[] =>
    readFileSync(join(dir, `${day}.jsonl`), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Line & { summary?: unknown })
      .filter((line) => line.summary === undefined);
  const archivedIds = (): number[] =>
    readdirSync(dir)
      .filter((name) => name.endsWith(".jsonl"))
      .flatMap((name) => fileLines(name.slice(0, -".jsonl".length)).map((line) => line.id));
  /** Every id in exactly one place, none missing. */
  const expectExactlyOnce = (expected: number): void => {
    const all = [...dbIds(), ...archivedIds()];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(expected);
  };

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    db = openLogDatabase(root);
    dir = storePaths(root).archive;
    // Three rows on each of Jan 6, 7, 8 (archived with --older-than 1d) and on Jan 9, 10 (kept).
    for (let day = 0; day < 5; day += 1) {
      for (let i = 0; i < 3; i += 1) insert(DAY6 + day * ONE_DAY + i * 3_600_000, { day, i });
    }
  });

  afterEach(() => {
    db.close();
    cleanup();
  });

  describe("archiving", () => {
    it("moves every whole UTC day before the cutoff into its JSONL file", async () => {
      const progress: ArchiveProgress[] = [];
      const result = await new LogArchive(db, root).archive({
        olderThanMs: ONE_DAY,
        now: NOW,
        onProgress: (p) => progress.push(p),
      });
      expect(result).toEqual({
        days: ["2026-01-06", "2026-01-07", "2026-01-08"].map((day) => ({
          day,
          rows: 3,
          file: join(dir, `${day}.jsonl`),
        })),
        deleted: 9,
        vacuumed: false,
      });
      expect(fileLines("2026-01-07")[0]).toEqual({
        id: 4,
        ts: DAY6 + ONE_DAY,
        source: "sense:cpu",
        type: "signal",
        refId: null,
        payload: { day: 1, i: 0 },
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(db.prepare("SELECT min(ts) FROM log").pluck().get()).toBe(Date.UTC(2026, 0, 9));
      expectExactlyOnce(15);
      expect(progress.map((p) => `${p.index}/${p.total} ${p.day} ${p.phase}`)).toEqual([
        "1/3 2026-01-06 written",
        "1/3 2026-01-06 deleted",
        "2/3 2026-01-07 written",
        "2/3 2026-01-07 deleted",
        "3/3 2026-01-08 written",
        "3/3 2026-01-08 deleted",
      ]);
      const reader = new StoreReader(db);
      expect(reader.getMeta(ARCHIVE_LAST_DAY_KEY)).toBe("2026-01-08");
      expect(reader.getMeta(ARCHIVE_LOCK_KEY)).toBeNull();
    });

    it("archives nothing and changes nothing on a rerun", async () => {
      const archive = new LogArchive(db, root);
      await archive.archive({ olderThanMs: ONE_DAY, now: NOW });
      const before = readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs]);
      const rerun = await archive.archive({ olderThanMs: ONE_DAY, now: NOW });
      expect(rerun).toEqual({ days: [], deleted: 0, vacuumed: false });
      expect(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs])).toEqual(
        before,
      );
      expectExactlyOnce(15);
    });

    it("counts the cutoff in whole UTC days", async () => {
      // now - 2d = Jan 8 12:00, rounded down to Jan 8: only Jan 6 and 7 are whole days before it.
      const result = await new LogArchive(db, root).archive({ olderThanMs: 2 * ONE_DAY, now: NOW });
      expect(result.days.map((d) => d.day)).toEqual(["2026-01-06", "2026-01-07"]);
    });

    it("vacuums when asked", async () => {
      const result = await new LogArchive(db, root).archive({
        olderThanMs: ONE_DAY,
        now: NOW,
        vacuum: true,
      });
      expect(result.vacuumed).toBe(true);
    });
  });

  describe("crashes and reruns", () => {
    it("keeps every row exactly once after a crash between the durable file and the delete", async () => {
      const crashing = new LogArchive(db, root, {
        afterFileDurable: (day) => {
          if (day === "2026-01-07") throw new Error("crash injected");
        },
      });
      await expect(crashing.archive({ olderThanMs: ONE_DAY, now: NOW })).rejects.toThrow(
        "crash injected",
      );
      // Jan 6 done; Jan 7 in its file and still in the database; Jan 8 untouched.
      expect(fileLines("2026-01-07")).toHaveLength(3);
      expect(dbIds()).toHaveLength(12);
      expect(existsSync(join(dir, "2026-01-08.jsonl"))).toBe(false);

      const rerun = await new LogArchive(db, root).archive({ olderThanMs: ONE_DAY, now: NOW });
      expect(rerun.days.map((d) => [d.day, d.rows])).toEqual([
        ["2026-01-07", 3],
        ["2026-01-08", 3],
      ]);
      expect(fileLines("2026-01-07").map((l) => l.id)).toEqual([4, 5, 6]);
      expectExactlyOnce(15);
    });

    it("merges rows of an archived day committed later into its file", async () => {
      const archive = new LogArchive(db, root);
      await archive.archive({ olderThanMs: ONE_DAY, now: NOW });
      insert(DAY6 + 5, { late: true });
      const result = await archive.archive({ olderThanMs: ONE_DAY, now: NOW });
      expect(result.days).toEqual([
        { day: "2026-01-06", rows: 1, file: join(dir, "2026-01-06.jsonl") },
      ]);
      expect(fileLines("2026-01-06").map((l) => l.payload)).toEqual([
        { day: 0, i: 0 },
        { day: 0, i: 1 },
        { day: 0, i: 2 },
        { late: true },
      ]);
      expectExactlyOnce(16);
    });

    it("removes temp files left by a crashed run", async () => {
      await new LogArchive(db, root).archive({ olderThanMs: ONE_DAY, now: NOW });
      writeFileSync(join(dir, ".2026-01-09.jsonl.999.abcd.tmp"), "partial");
      await new LogArchive(db, root).archive({ olderThanMs: ONE_DAY, now: NOW });
      expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    });

    it("deletes nothing when an existing file cannot be read back", async () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "2026-01-06.jsonl"), '{"id":1}\nnot json\n');
      await expect(
        new LogArchive(db, root).archive({ olderThanMs: ONE_DAY, now: NOW }),
      ).rejects.toThrow(ArchiveFileError);
      expect(dbIds()).toHaveLength(15);
    });
  });

  describe("concurrency", () => {
    it("refuses to run while another live archive holds the lock, and takes over a dead one's", async () => {
      const lock = db.prepare(UPSERT_META_SQL);
      lock.run(ARCHIVE_LOCK_KEY, JSON.stringify({ pid: process.pid, since: NOW }));
      await expect(
        new LogArchive(db, root).archive({ olderThanMs: ONE_DAY, now: NOW }),
      ).rejects.toThrow(ArchiveBusyError);
      expect(dbIds()).toHaveLength(15);
      lock.run(ARCHIVE_LOCK_KEY, JSON.stringify({ pid: 2 ** 22 + 12_345, since: NOW }));
      const result = await new LogArchive(db, root).archive({ olderThanMs: ONE_DAY, now: NOW });
      expect(result.deleted).toBe(9);
    });

    it("keeps every row exactly once while another process appends", async () => {
      // Enough rows for the archive to take many pages and delete transactions.
      db.transaction(() => {
        for (let i = 0; i < 30_000; i += 1) insert(DAY6 + (i % (3 * ONE_DAY)), { i });
      })();
      const script = fileURLToPath(new URL("../__fixtures__/appender.mjs", import.meta.url));
      const child = spawn(
        process.execPath,
        [script, storePaths(root).logDb, String(DAY6 + 7), String(NOW)],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let output = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => (output += chunk));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      await expect.poll(() => output, { timeout: 20_000 }).toContain("ready");

      const result = await new LogArchive(db, root).archive({ olderThanMs: ONE_DAY, now: NOW });
      const countDuring = db
        .prepare("SELECT count(*) FROM log WHERE source = 'sense:child'")
        .pluck()
        .get();
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const written = Number(/written (\d+)/.exec(output)![1]);
      expect(written).toBeGreaterThan(0);
      expect(countDuring).toBeGreaterThan(0);
      expect(result.deleted).toBeGreaterThanOrEqual(30_009);
      expectExactlyOnce(30_015 + written);
      // A rerun sweeps up the child's late rows for the old day, still exactly once.
      await new LogArchive(db, root).archive({ olderThanMs: ONE_DAY, now: NOW });
      expectExactlyOnce(30_015 + written);
      expect(
        db
          .prepare("SELECT count(*) FROM log WHERE ts < ?")
          .pluck()
          .get(Date.UTC(2026, 0, 9)),
      ).toBe(0);
    });
  });
});
