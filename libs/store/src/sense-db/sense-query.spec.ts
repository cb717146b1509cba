import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { SenseDatabaseNotFoundError, SenseQueryError } from "../errors/sense-db.error.js";
import { openSenseDatabase } from "./sense-database.js";
import { SenseQuery } from "./sense-query.js";

describe(SenseQuery.name, () => {
  let root: string;
  let cleanup: () => void;
  const senseQuery = new SenseQuery();

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    const db = openSenseDatabase(root, "cpu");
    db.exec(`
      CREATE TABLE samples (ts INTEGER, pct REAL);
      CREATE INDEX samples_ts ON samples (ts);
      CREATE TABLE "odd ""name""" (x INTEGER);
      INSERT INTO samples VALUES (1, 10.5), (2, 20.5);
    `);
    db.close();
  });
  afterEach(() => cleanup());

  describe("tables", () => {
    it("lists the tables with their row counts", () => {
      expect(senseQuery.tables(root, "cpu")).toEqual([
        { table: "_nerve_migrations", rows: 0 },
        { table: 'odd "name"', rows: 0 },
        { table: "samples", rows: 2 },
      ]);
    });
  });

  describe("schema", () => {
    it("returns the CREATE statements in creation order", () => {
      const schema = senseQuery.schema(root, "cpu");
      expect(schema).toContain("CREATE TABLE samples (ts INTEGER, pct REAL)");
      expect(schema.indexOf("CREATE INDEX samples_ts ON samples (ts)")).toBeGreaterThan(
        schema.indexOf("CREATE TABLE samples (ts INTEGER, pct REAL)"),
      );
    });
  });

  describe("query", () => {
    it("returns row objects of a read-only query", () => {
      expect(senseQuery.query(root, "cpu", "SELECT ts, pct FROM samples WHERE ts > 1")).toEqual([
        { ts: 2, pct: 20.5 },
      ]);
      expect(senseQuery.query(root, "cpu", "PRAGMA table_info(samples)")).toHaveLength(2);
    });

    it.each([
      ["a write", "DELETE FROM samples", /only one read-only statement/],
      ["a write that returns rows", "INSERT INTO samples VALUES (3, 1) RETURNING ts", /read-only/],
      ["several statements", "SELECT 1; DELETE FROM samples", /one statement at a time/],
      ["a statement returning no rows", "BEGIN", /returns rows/],
      ["an ATTACH", "ATTACH 'x.db' AS x", /returns rows/],
      ["a syntax error", "SELEKT 1", /syntax error/],
      ["an empty string", "  ", /empty/],
      ["load_extension", "SELECT load_extension('x')", /not authorized/],
    ])("refuses %s with a clear error", (_what, sql, message) => {
      expect(() => senseQuery.query(root, "cpu", sql)).toThrow(SenseQueryError);
      expect(() => senseQuery.query(root, "cpu", sql)).toThrow(message);
      expect(senseQuery.query(root, "cpu", "SELECT count(*) AS n FROM samples")).toEqual([
        { n: 2 },
      ]);
    });

    it("reports a sense without a database", () => {
      expect(() => senseQuery.query(root, "disk", "SELECT 1")).toThrow(SenseDatabaseNotFoundError);
    });
  });
});
