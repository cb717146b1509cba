import { mkdirSync, readFileSync, truncateSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database, { type Database as SqliteDatabase } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { DAY_MS } from "../archive/archive-file.js";
import { LogArchive } from "../archive/log-archive.js";
import { BlobStore } from "../blobs/blob-store.js";
import { ChainHeadReader, GENESIS_HASH, canonicalRow, chainHash } from "../log/log-chain.js";
import { LogStore } from "../log/log-store.js";
import { openLogDatabase } from "../log/open-log-db.js";
import { storePaths } from "../paths.js";
import { StoreVerifier } from "./store-verifier.js";

const DAY6 = Date.UTC(2026, 0, 6);
const NOW = Date.UTC(2026, 0, 10, 12);

describe(StoreVerifier.name, () => {
  let root: string;
  let cleanup: () => void;
  let db: SqliteDatabase;

  /** Three rows on each of Jan 6..10, through LogStore; Jan 6..8 archived. */
  const seed = async (archive = true): Promise<void> => {
    const log = new LogStore(db);
    for (let day = 0; day < 5; day += 1) {
      for (let i = 0; i < 3; i += 1) {
        log.append({
          ts: DAY6 + day * DAY_MS + i * 3_600_000,
          source: "sense:cpu",
          type: "signal",
          payload: { day, i },
        });
      }
    }
    await log.close();
    if (archive) await new LogArchive(db, root).archive({ olderThanMs: DAY_MS, now: NOW });
  };
  const verify = () => new StoreVerifier(db, root).verify();
  const dayFile = (day: string): string => join(storePaths(root).archive, `${day}.jsonl`);
  const untrigger = (): void => {
    db.exec('DROP TRIGGER "log_no_update"; DROP TRIGGER "log_no_delete"');
  };

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    db = openLogDatabase(root);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it("finds an intact chain through the archive and the database", async () => {
    await seed();
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.rows).toEqual({ archive: 9, db: 6, legacy: 0 });
    expect(report.days).toBe(3);
    expect(report.head).toEqual(new ChainHeadReader(db).read());
    expect(report.head.id).toBe(15);
  });

  it("chains each row from the previous one's hash", async () => {
    await seed(false);
    const rows = db
      .prepare("SELECT id, ts, source, type, ref_id, payload, hash FROM log ORDER BY id")
      .raw()
      .all() as [number, number, string, string, string | null, string | null, string][];
    let prev = GENESIS_HASH;
    for (const [id, ts, source, type, refId, payload, hash] of rows) {
      expect(hash).toBe(chainHash(prev, canonicalRow(id, ts, source, type, refId, payload)));
      prev = hash;
    }
  });

  it("names a row changed in the database", async () => {
    await seed();
    untrigger();
    db.prepare("UPDATE log SET payload = ? WHERE id = 12").run('{"day":3,"i":2,"x":1}');
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: "row-changed", id: 12, where: "logs.db" }),
    ]);
  });

  it("names a row deleted from the database", async () => {
    await seed();
    untrigger();
    db.prepare("DELETE FROM log WHERE id = 11").run();
    const report = await verify();
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: "row-missing",
        id: 12,
        message: expect.stringContaining("row 11 is missing"),
      }),
    ]);
  });

  it("names a changed line and a reordered line of an archive file", async () => {
    await seed();
    const file = dayFile("2026-01-07");
    const lines = readFileSync(file, "utf8").split("\n");
    [lines[0], lines[1]] = [lines[1], lines[0]];
    writeFileSync(file, lines.join("\n"));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({
      kind: "line-order",
      where: "2026-01-07.jsonl:2",
      id: 4,
    });
  });

  it("names an archive file cut off at its end", async () => {
    await seed();
    const file = dayFile("2026-01-06");
    truncateSync(file, statSync(file).size - 40);
    const report = await verify();
    expect(report.problems.map((p) => p.kind)).toContain("truncated");
    expect(report.problems[0].where).toMatch(/^2026-01-06\.jsonl/);
  });

  it("names an archive file that lost its last rows and kept a summary", async () => {
    await seed();
    const file = dayFile("2026-01-08");
    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
    writeFileSync(file, `${[lines[0], lines[3]].join("\n")}\n`);
    const report = await verify();
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: "row-missing",
        id: 10,
        message: expect.stringContaining("rows 8–9"),
      }),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: "truncated", where: "2026-01-08.jsonl:2" }),
    );
  });

  it("names a blob whose content was changed", async () => {
    await seed();
    const blobs = new BlobStore(root);
    const hash = blobs.put("hello");
    const log = new LogStore(db);
    await log.appendCommitted({ source: "sense:cpu", type: "signal", payload: { blob: hash } });
    await log.close();
    expect((await verify()).blobs).toEqual({ files: 1, referenced: 1, missing: [] });
    writeFileSync(blobs.pathOf(hash), "HELLO");
    const report = await verify();
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: "blob", expected: hash, where: blobs.pathOf(hash) }),
    ]);
  });

  it("checks every sense database with integrity_check", async () => {
    await seed(false);
    const dir = storePaths(root).senseDbs;
    mkdirSync(dir, { recursive: true });
    const good = new Database(join(dir, "good.db"));
    good.exec("CREATE TABLE t (x)");
    good.close();
    writeFileSync(join(dir, "bad.db"), "this is not a database, it only has its name");
    const report = await verify();
    expect(report.senseDbs).toEqual([
      { name: "bad", ok: false },
      { name: "good", ok: true },
    ]);
    expect(report.problems).toEqual([expect.objectContaining({ kind: "sense-db" })]);
  });

  it("chains rows that were written before the chain existed", async () => {
    // Rows as an earlier version wrote them: no hash.
    const insert = db.prepare(
      "INSERT INTO log (ts, source, type, payload) VALUES (?, 'cli', 'x', ?)",
    );
    for (let i = 0; i < 5_000; i += 1) insert.run(DAY6 + i, `{"i":${i}}`);
    const log = new LogStore(db);
    // The head has no hash yet: the new row waits for it too.
    await log.appendCommitted({ source: "cli", type: "late" });
    expect(db.prepare("SELECT hash FROM log WHERE id = 5001").pluck().get()).toBeNull();
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.rows.db).toBe(5_001);
    await log.appendCommitted({ source: "cli", type: "later" });
    await log.close();
    expect(db.prepare("SELECT hash FROM log WHERE id = 5002").pluck().get()).toMatch(
      /^[0-9a-f]{64}$/,
    );
    expect((await verify()).ok).toBe(true);
  });

  // The same checks on the calling thread and on three threads (each a third of the ids).
  describe.each([{ threads: 0 }, { threads: 3 }])(
    "a database read in pages (threads: $threads)",
    ({ threads }) => {
      const verify = () => new StoreVerifier(db, root).verify({ threads });
      /** `n` rows through LogStore, payloads from `payloadOf`. */
      const many = async (n: number, payloadOf: (i: number) => unknown): Promise<void> => {
        const log = new LogStore(db);
        for (let i = 0; i < n; i += 1) {
          log.append({ ts: DAY6 + i, source: "sense:cpu", type: "signal", payload: payloadOf(i) });
        }
        await log.close();
      };

      it("names a row changed or deleted deep in a page, once", async () => {
        await many(12_000, (i) => ({ i }));
        expect((await verify()).ok).toBe(true);
        untrigger();
        db.prepare("UPDATE log SET payload = ? WHERE id = 7777").run('{"i":-1}');
        db.prepare("DELETE FROM log WHERE id = 11000").run();
        const report = await verify();
        expect(report.problems).toEqual([
          expect.objectContaining({ kind: "row-changed", id: 7777, where: "logs.db" }),
          expect.objectContaining({ kind: "row-missing", id: 11_001 }),
        ]);
        expect(report.rows.db).toBe(11_999);
        expect(report.head.id).toBe(12_000);
      });

      it("names rows changed or deleted where one thread's ids end and the next one's begin", async () => {
        await many(12_000, (i) => ({ i }));
        untrigger();
        db.prepare("DELETE FROM log WHERE id = 4000").run();
        db.prepare("UPDATE log SET payload = ? WHERE id = 8001").run('{"i":-1}');
        const report = await verify();
        expect(report.problems).toEqual([
          expect.objectContaining({ kind: "row-missing", id: 4_001, where: "logs.db" }),
          expect.objectContaining({ kind: "row-changed", id: 8_001, where: "logs.db" }),
        ]);
        expect(report.rows.db).toBe(11_999);
        expect(report.head).toEqual(new ChainHeadReader(db).read());
      });

      it("finds rows with unusual text intact, however SQLite quotes them", async () => {
        const odd = ["tab\t and \u0001", "emoji 🧠 and \u2028", 'quote " and \\', "\u001e"];
        const log = new LogStore(db);
        for (const [i, text] of odd.entries()) {
          log.append({
            ts: DAY6 + i,
            source: `sense:${text}`,
            type: text,
            refId: text,
            payload: text,
          });
        }
        await log.close();
        // A payload that is not JSON at all, with the page's row separator in it.
        db.prepare(
          "INSERT INTO log (ts, source, type, ref_id, payload, hash) VALUES (?, 'cli', 'x', NULL, ?, ?)",
        ).run(
          DAY6 + 9,
          "not json \u001e here",
          chainHash(
            new ChainHeadReader(db).read().hash!,
            canonicalRow(odd.length + 1, DAY6 + 9, "cli", "x", null, "not json \u001e here"),
          ),
        );
        const report = await verify();
        expect(report.problems).toEqual([]);
        expect(report.rows.db).toBe(odd.length + 1);
      });

      it("notes the blobs named in payloads of every page", async () => {
        const blobs = new BlobStore(root);
        const hash = blobs.put("hello");
        await many(6_000, (i) => (i === 5_500 ? { blob: hash } : { i }));
        expect((await verify()).blobs).toEqual({ files: 1, referenced: 1, missing: [] });
      });
    },
  );
});
