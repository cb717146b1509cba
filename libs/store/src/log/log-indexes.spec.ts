import { mkdirSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { storePaths } from "../paths.js";
import { StoreReader, logQuerySql } from "../reader/store-reader.js";
import { migrateLogDatabase, openLogDatabase } from "./open-log-db.js";
import { LOG_SCHEMA_STEPS, LOG_SCHEMA_VERSION, WRITE_SCHEMA_VERSION_SQL } from "./schema.js";

type Db = ReturnType<typeof openLogDatabase>;

function fill(db: Db): void {
  const insert = db.prepare("INSERT INTO log (ts, source, type, ref_id) VALUES (?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < 300; i += 1) {
      const type = i % 100 === 7 ? "sense.error" : i % 50 === 3 ? "workflow.started" : "signal";
      insert.run(1_000 + i, `sense:s${i % 3}`, type, `ref-${i}`);
    }
  })();
}

/** SQLite's plan for what StoreReader.query runs, one line per step. */
function plan(db: Db, q: Parameters<typeof logQuerySql>[0]): string {
  const { sql, params } = logQuerySql(q);
  const steps = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return steps.map((step) => step.detail).join("\n");
}

describe("log indexes", () => {
  let root: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
  });
  afterEach(() => cleanup());

  it("finds rows of a type other than signal through the type index, already in order", () => {
    const db = openLogDatabase(root);
    fill(db);
    const steps = plan(db, { type: "sense.error" });
    expect(steps).toMatch(/USING INDEX log_type_ts/);
    expect(steps).not.toMatch(/TEMP B-TREE/);
    const rows = new StoreReader(db).query({ type: "sense.error", order: "asc" });
    expect(rows.map((row) => row.ts)).toEqual([1_007, 1_107, 1_207]);
    db.close();
  });

  it("finds signals and time ranges through the time index, already in order", () => {
    const db = openLogDatabase(root);
    fill(db);
    for (const q of [{ type: "signal" }, { since: 1_100, until: 1_200 }, {}]) {
      const steps = plan(db, q);
      expect(steps).toMatch(/USING INDEX log_ts/);
      expect(steps).not.toMatch(/TEMP B-TREE/);
    }
    const reader = new StoreReader(db);
    expect(reader.count({ type: "signal" })).toBe(300 - 3 - 6);
    expect(reader.query({ type: "signal", limit: 2 }).map((row) => row.ts)).toEqual([1_299, 1_298]);
    expect(reader.count({ type: "workflow.started", since: 1_100 })).toBe(4);
    db.close();
  });

  it("takes signals out of the type index of a database made by an earlier version", () => {
    // A database at schema version 1, as Nerve made it before the partial index.
    const file = storePaths(root).logDb;
    mkdirSync(storePaths(root).data, { recursive: true });
    const old = new Database(file);
    for (const sql of LOG_SCHEMA_STEPS[0].statements) old.exec(sql);
    old.prepare(WRITE_SCHEMA_VERSION_SQL).run("1");
    fill(old);
    old.close();

    const db = openLogDatabase(root);
    const index = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'log_type_ts'")
      .pluck()
      .get() as string;
    expect(index).toMatch(/WHERE "type" <> 'signal'$/);
    expect(migrateLogDatabase(db)).toEqual({ from: LOG_SCHEMA_VERSION, to: LOG_SCHEMA_VERSION });
    const reader = new StoreReader(db);
    expect(reader.count({})).toBe(300);
    expect(reader.count({ type: "sense.error" })).toBe(3);
    expect(reader.count({ type: "signal" })).toBe(291);
    db.close();
  });
});
