import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSenseDatabase } from "@nerve/store/sense-db";
import { openLogDatabase } from "@nerve/store/archive";
import { nerve, tempDir } from "../support/cli.js";

let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  expect((await nerve(["init", dir])).code).toBe(0);
});
afterEach(() => cleanup());

function seedSamples(rows: number): void {
  const db = openSenseDatabase(dir, "load-average", {
    migrationsDir: join(dir, "senses", "load-average", "migrations"),
  });
  const insert = db.prepare("INSERT INTO samples (ts, one, five, fifteen) VALUES (?, ?, ?, ?)");
  for (let i = 0; i < rows; i++) insert.run(i, i / 10, 0.5, 0.25);
  db.close();
}

describe("nerve sense query", () => {
  it("lists the tables with their row counts when given no SQL", async () => {
    seedSamples(3);
    const run = await nerve(["sense", "query", "load-average", "--json", "--root", dir]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toContainEqual({ table: "samples", rows: 3 });
  });

  it("returns rows as objects for a read-only statement", async () => {
    seedSamples(2);
    const run = await nerve([
      "sense",
      "query",
      "load-average",
      "SELECT ts, one FROM samples ORDER BY ts",
      "--json",
      "--root",
      dir,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      { ts: 0, one: 0 },
      { ts: 1, one: 0.1 },
    ]);
  });

  it.each([
    ["DELETE FROM samples"],
    ["INSERT INTO samples VALUES (9, 9, 9, 9)"],
    ["DROP TABLE samples"],
    ["PRAGMA user_version = 7"],
    ["ATTACH DATABASE 'x.db' AS x"],
    ["SELECT 1; DELETE FROM samples"],
  ])("refuses %s and leaves the data as it was", async (sql) => {
    seedSamples(2);
    const run = await nerve(["sense", "query", "load-average", sql, "--root", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nerve: .*load-average/);
    const count = await nerve(["sense", "query", "load-average", "--json", "--root", dir]);
    expect(JSON.parse(count.stdout)).toContainEqual({ table: "samples", rows: 2 });
    expect(existsSync(join(dir, "x.db"))).toBe(false);
  });

  it("says when a sense has no database yet", async () => {
    const run = await nerve(["sense", "query", "load-watch", "--root", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/load-watch has no database yet/);
  });

  it("refuses names that would escape the data folder", async () => {
    const run = await nerve(["sense", "query", "../../etc", "--root", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nerve: /);
  });
});

describe("nerve sense schema", () => {
  it("prints the CREATE statements of the sense database", async () => {
    seedSamples(0);
    const run = await nerve(["sense", "schema", "load-average", "--json", "--root", dir]);
    expect(run.code).toBe(0);
    const statements = JSON.parse(run.stdout) as string[];
    expect(statements.some((s) => s.startsWith("CREATE TABLE samples"))).toBe(true);
    expect(statements.some((s) => s.startsWith("CREATE INDEX samples_ts"))).toBe(true);
  });
});

describe("nerve store archive", () => {
  const DAY = 24 * 60 * 60 * 1000;

  it("moves whole old days to JSONL files and keeps recent rows", async () => {
    const now = Date.now();
    const db = openLogDatabase(dir);
    const insert = db.prepare(
      "INSERT INTO log (ts, source, type, ref_id, payload) VALUES (?, ?, ?, ?, ?)",
    );
    for (let i = 0; i < 5; i++)
      insert.run(now - 10 * DAY + i, "cli", "test.old", null, `{"i":${i}}`);
    insert.run(now, "cli", "test.new", null, "{}");
    db.close();

    const run = await nerve(["store", "archive", "--older-than", "7d", "--json", "--root", dir]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.deleted).toBe(5);
    expect(result.days).toHaveLength(1);
    const lines = readFileSync(result.days[0].file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const summary = lines.pop();
    expect(lines.map((row: { payload: { i: number } }) => row.payload.i)).toEqual([0, 1, 2, 3, 4]);
    expect(lines[0]).toMatchObject({ source: "cli", type: "test.old", refId: null });
    expect(lines[4].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.summary).toMatchObject({
      firstId: lines[0].id,
      lastId: lines[4].id,
      lastHash: lines[4].hash,
      rows: 5,
    });

    const check = openLogDatabase(dir);
    expect(check.prepare("SELECT type FROM log").pluck().all()).toEqual(["test.new"]);
    check.close();

    const again = await nerve(["store", "archive", "--json", "--root", dir]);
    expect(JSON.parse(again.stdout)).toEqual({ days: [], deleted: 0, vacuumed: false });
  });

  it("rejects a bad duration as a usage error", async () => {
    const run = await nerve(["store", "archive", "--older-than", "fast", "--root", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--older-than: expected a duration/);
  });
});
