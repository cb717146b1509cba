import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import {
  LogDatabaseNotFoundError,
  LogDatabaseOpenError,
  LogSchemaError,
} from "../errors/log.error.js";
import { storePaths } from "../paths.js";
import { migrateLogDatabase, openLogDatabase, readLogSchemaVersion } from "./open-log-db.js";
import { ARCHIVE_MARKER_TABLE, LOG_SCHEMA_VERSION, WRITE_SCHEMA_VERSION_SQL } from "./schema.js";

describe("openLogDatabase", () => {
  let root: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
  });
  afterEach(() => cleanup());

  describe("creating", () => {
    it("creates data/logs.db in WAL mode with the full schema on a fresh workspace", () => {
      const db = openLogDatabase(root);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
      expect(readLogSchemaVersion(db)).toBe(LOG_SCHEMA_VERSION);
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual(expect.arrayContaining(["log", "workflow_runs", "meta"]));
      db.close();
    });

    it("applies nothing the second time", () => {
      openLogDatabase(root).close();
      const db = openLogDatabase(root);
      expect(migrateLogDatabase(db)).toEqual({ from: LOG_SCHEMA_VERSION, to: LOG_SCHEMA_VERSION });
      db.close();
    });

    // Regression: a damaged file failed with SQLite's bare "file is not a database".
    it("names the file when it is not a SQLite database", () => {
      const { data, logDb } = storePaths(root);
      mkdirSync(data, { recursive: true });
      writeFileSync(logDb, Buffer.alloc(8192, 0x5a));
      expect(() => openLogDatabase(root)).toThrow(LogDatabaseOpenError);
      expect(() => openLogDatabase(root)).toThrow(
        `cannot open the log database ${logDb}: file is not a database`,
      );
    });

    it("refuses a database whose schema is newer than this build", () => {
      const db = openLogDatabase(root);
      db.prepare(WRITE_SCHEMA_VERSION_SQL).run(String(LOG_SCHEMA_VERSION + 1));
      db.close();
      expect(() => openLogDatabase(root)).toThrow(LogSchemaError);
      expect(() => openLogDatabase(root)).toThrow(/newer than/);
    });
  });

  describe("read-only", () => {
    it("reports that there is no data yet instead of creating the file", () => {
      expect(() => openLogDatabase(root, { readonly: true })).toThrow(LogDatabaseNotFoundError);
      expect(existsSync(storePaths(root).logDb)).toBe(false);
    });

    it("opens an existing database and cannot write to it", () => {
      openLogDatabase(root).close();
      const db = openLogDatabase(root, { readonly: true });
      expect(() =>
        db.prepare("INSERT INTO log (ts, source, type) VALUES (1, 'x', 'y')").run(),
      ).toThrow(/readonly/);
      db.close();
    });
  });

  describe("append-only log", () => {
    // A second, independent connection: the triggers hold whoever writes.
    let db: Database.Database;
    beforeEach(() => {
      openLogDatabase(root).close();
      db = new Database(storePaths(root).logDb);
      db.prepare("INSERT INTO log (ts, source, type, payload) VALUES (1, 'cli', 'x', '{}')").run();
    });
    afterEach(() => db.close());

    it("refuses UPDATE with a clear message", () => {
      expect(() => db.prepare("UPDATE log SET type = 'changed'").run()).toThrow(
        "log is append-only: UPDATE on table log is refused",
      );
      expect(db.prepare("SELECT type FROM log").pluck().get()).toBe("x");
    });

    it("refuses DELETE outside the archive", () => {
      expect(() => db.prepare("DELETE FROM log").run()).toThrow(/DELETE on table log is refused/);
      expect(db.prepare("SELECT count(*) FROM log").pluck().get()).toBe(1);
    });

    it("allows DELETE inside a transaction that holds the archive marker", () => {
      db.transaction(() => {
        db.prepare(`INSERT INTO ${ARCHIVE_MARKER_TABLE} (day) VALUES ('1970-01-01')`).run();
        db.prepare("DELETE FROM log").run();
        db.prepare(`DELETE FROM ${ARCHIVE_MARKER_TABLE}`).run();
      })();
      expect(db.prepare("SELECT count(*) FROM log").pluck().get()).toBe(0);
    });

    it("never reuses the id of a deleted row", () => {
      const first = db.prepare("SELECT max(id) FROM log").pluck().get() as number;
      db.transaction(() => {
        db.prepare(`INSERT INTO ${ARCHIVE_MARKER_TABLE} (day) VALUES ('1970-01-01')`).run();
        db.prepare("DELETE FROM log").run();
        db.prepare(`DELETE FROM ${ARCHIVE_MARKER_TABLE}`).run();
      })();
      const next = db.prepare("INSERT INTO log (ts, source, type) VALUES (2, 'cli', 'y')").run();
      expect(Number(next.lastInsertRowid)).toBeGreaterThan(first);
    });
  });
});
