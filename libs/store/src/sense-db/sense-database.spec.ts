import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import {
  InvalidSenseNameError,
  MigrationError,
  ReadOnlyDatabaseError,
  SenseDatabaseNotFoundError,
  SenseDatabaseOpenError,
} from "../errors/sense-db.error.js";
import { openPeerDatabase, openSenseDatabase } from "./sense-database.js";
import { appliedMigrations } from "./sense-migrations.js";

describe("openSenseDatabase", () => {
  let root: string;
  let cleanup: () => void;
  let migrations: string;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    migrations = join(root, "senses", "cpu", "migrations");
    mkdirSync(migrations, { recursive: true });
  });
  afterEach(() => cleanup());

  const migration = (name: string, sql: string): void => writeFileSync(join(migrations, name), sql);

  describe("opening", () => {
    it("creates data/senses/<name>.db in WAL mode", () => {
      const db = openSenseDatabase(root, "cpu");
      expect(existsSync(join(root, "data", "senses", "cpu.db"))).toBe(true);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      db.close();
    });

    // Regression: a damaged file failed with SQLite's bare "file is not a database".
    it("names the sense and the file when the database is not a SQLite file", () => {
      mkdirSync(join(root, "data", "senses"), { recursive: true });
      const file = join(root, "data", "senses", "cpu.db");
      writeFileSync(file, "a shopping list, not a database\n".repeat(100));
      expect(() => openSenseDatabase(root, "cpu")).toThrow(SenseDatabaseOpenError);
      expect(() => openSenseDatabase(root, "cpu")).toThrow(
        `sense cpu: cannot open its database ${file}: file is not a database`,
      );
    });

    it.each(["../x", "Cpu", "1cpu", "cpu/../../etc", "a".repeat(64), ""])(
      "rejects the name %j",
      (name) => {
        expect(() => openSenseDatabase(root, name)).toThrow(InvalidSenseNameError);
      },
    );
  });

  describe("migrations", () => {
    it("applies the .sql files in lexical order, once each", () => {
      migration("002-add.sql", "ALTER TABLE samples ADD COLUMN host TEXT;");
      migration("001-init.sql", "CREATE TABLE samples (ts INTEGER, pct REAL);");
      migration("010-index.sql", "CREATE INDEX samples_ts ON samples (ts);");
      migration("notes.txt", "not a migration");
      openSenseDatabase(root, "cpu").close();
      const db = openSenseDatabase(root, "cpu");
      expect(appliedMigrations(db).map((m) => m.name)).toEqual([
        "001-init.sql",
        "002-add.sql",
        "010-index.sql",
      ]);
      expect(appliedMigrations(db)[0].sha256).toMatch(/^[0-9a-f]{64}$/);
      const columns = db.prepare("SELECT name FROM pragma_table_info('samples')").pluck().all();
      expect(columns).toEqual(["ts", "pct", "host"]);
      db.close();
    });

    it("applies a migration added later, and only that one", () => {
      migration("001-init.sql", "CREATE TABLE samples (ts INTEGER);");
      openSenseDatabase(root, "cpu").close();
      migration("002-more.sql", "CREATE TABLE more (x INTEGER);");
      const db = openSenseDatabase(root, "cpu");
      expect(appliedMigrations(db).map((m) => m.name)).toEqual(["001-init.sql", "002-more.sql"]);
      db.close();
    });

    it("stops at a failing migration: earlier applied, failing not recorded, later not applied", () => {
      migration("001-init.sql", "CREATE TABLE samples (ts INTEGER);");
      migration("002-bad.sql", "CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1);");
      migration("003-later.sql", "CREATE TABLE later (x INTEGER);");
      expect(() => openSenseDatabase(root, "cpu")).toThrow(MigrationError);
      let error: unknown;
      try {
        openSenseDatabase(root, "cpu");
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).message).toMatch(
        /002-bad\.sql of sense cpu failed: no such table: missing/,
      );
      const db = new Database(join(root, "data", "senses", "cpu.db"));
      expect(appliedMigrations(db).map((m) => m.name)).toEqual(["001-init.sql"]);
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all();
      expect(tables).toContain("samples");
      expect(tables).not.toContain("half"); // rolled back with its migration
      expect(tables).not.toContain("later");
      db.close();
    });

    it("refuses a migration that ends the transaction itself", () => {
      migration("001-init.sql", "CREATE TABLE t (x INTEGER); COMMIT;");
      expect(() => openSenseDatabase(root, "cpu")).toThrow(/leave transaction statements out/);
    });

    it("reads migrations from the given folder", () => {
      const elsewhere = join(root, "elsewhere");
      mkdirSync(elsewhere);
      writeFileSync(join(elsewhere, "001.sql"), "CREATE TABLE there (x INTEGER);");
      const db = openSenseDatabase(root, "cpu", { migrationsDir: elsewhere });
      expect(appliedMigrations(db).map((m) => m.name)).toEqual(["001.sql"]);
      db.close();
    });
  });
});

describe("openPeerDatabase", () => {
  let root: string;
  let cleanup: () => void;
  let peer: Database.Database;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    const own = openSenseDatabase(root, "disk");
    own.exec("CREATE TABLE usage (pct REAL); INSERT INTO usage VALUES (42);");
    own.close();
    writeFileSync(join(root, "other.db"), "");
    const other = new Database(join(root, "other.db"));
    other.exec("CREATE TABLE t (x INTEGER)");
    other.close();
    peer = openPeerDatabase(root, "disk");
  });
  afterEach(() => {
    peer.close();
    cleanup();
  });

  /** Reads through a separate connection, so what a refused statement did shows up. */
  const fromOutside = <T>(read: (db: Database.Database) => T): T => {
    const db = new Database(join(root, "data", "senses", "disk.db"), { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  const rows = (): unknown => fromOutside((db) => db.prepare("SELECT pct FROM usage").all());

  it("reads", () => {
    expect(peer.prepare("SELECT pct FROM usage").all()).toEqual([{ pct: 42 }]);
    expect(peer.pragma("user_version", { simple: true })).toBe(0);
    expect(peer.transaction(() => peer.prepare("SELECT count(*) AS n FROM usage").get())()).toEqual(
      { n: 1 },
    );
  });

  it.each([
    ["INSERT", "INSERT INTO usage VALUES (1)"],
    ["UPDATE", "UPDATE usage SET pct = 0"],
    ["DELETE", "DELETE FROM usage"],
    ["CREATE", "CREATE TABLE x (a INTEGER)"],
    ["CREATE TEMP", "CREATE TEMP TABLE x (a INTEGER)"],
    ["DROP", "DROP TABLE usage"],
    ["INSERT … RETURNING", "INSERT INTO usage VALUES (1) RETURNING pct"],
    ["VACUUM", "VACUUM"],
    ["PRAGMA journal_mode write", "PRAGMA journal_mode = DELETE"],
    ["PRAGMA user_version write", "PRAGMA user_version = 7"],
    ["PRAGMA query_only off", "PRAGMA query_only = OFF"],
  ])("refuses %s", (_kind, sql) => {
    expect(() => peer.prepare(sql)).toThrow(ReadOnlyDatabaseError);
    expect(rows()).toEqual([{ pct: 42 }]);
  });

  it("refuses VACUUM INTO another file", () => {
    const target = join(root, "copy.db");
    expect(() => peer.prepare(`VACUUM INTO '${target}'`)).toThrow(ReadOnlyDatabaseError);
    expect(existsSync(target)).toBe(false);
  });

  it("refuses ATTACH of an existing or a new file", () => {
    const other = join(root, "other.db");
    expect(() => peer.prepare(`ATTACH '${other}' AS o`)).toThrow(ReadOnlyDatabaseError);
    expect(() => peer.prepare(`ATTACH '${join(root, "new.db")}' AS n`)).toThrow(
      ReadOnlyDatabaseError,
    );
    expect(existsSync(join(root, "new.db"))).toBe(false);
  });

  it("refuses PRAGMA writes through pragma()", () => {
    expect(() => peer.pragma("journal_mode = DELETE")).toThrow(ReadOnlyDatabaseError);
    expect(() => peer.pragma("user_version = 3")).toThrow(ReadOnlyDatabaseError);
    expect(fromOutside((db) => db.pragma("journal_mode", { simple: true }))).toBe("wal");
    expect(fromOutside((db) => db.pragma("user_version", { simple: true }))).toBe(0);
  });

  it("refuses exec, backup and extensions", () => {
    expect(() => peer.exec("SELECT 1")).toThrow(ReadOnlyDatabaseError);
    expect(() => peer.backup(join(root, "backup.db"))).toThrow(ReadOnlyDatabaseError);
    expect(existsSync(join(root, "backup.db"))).toBe(false);
    expect(() => peer.loadExtension(join(root, "ext.so"))).toThrow(ReadOnlyDatabaseError);
    expect(() => peer.prepare("SELECT load_extension('x')").all()).toThrow(/not authorized/);
  });

  it("stays read-only below the guard: a write prepared on the raw handle still fails", () => {
    const rawPrepare = Database.prototype.prepare.bind(peer);
    expect(() => rawPrepare("INSERT INTO usage VALUES (1)").run()).toThrow(/readonly/);
  });

  it("reports a sense that has no database yet", () => {
    expect(() => openPeerDatabase(root, "never")).toThrow(SenseDatabaseNotFoundError);
    expect(() => openPeerDatabase(root, "never")).toThrow("sense never has no database yet");
    expect(existsSync(join(root, "data", "senses", "never.db"))).toBe(false);
  });

  it("rejects names that would escape data/senses", () => {
    expect(() => openPeerDatabase(root, "../other")).toThrow(InvalidSenseNameError);
  });
});
