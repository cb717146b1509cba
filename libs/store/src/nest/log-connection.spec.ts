import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { LogDatabaseOpenError } from "../errors/log.error.js";
import { openLogDatabase, readLogSchemaVersion } from "../log/open-log-db.js";
import { LOG_SCHEMA_STEPS, LOG_SCHEMA_VERSION, WRITE_SCHEMA_VERSION_SQL } from "../log/schema.js";
import { storePaths } from "../paths.js";
import { TYPEORM_MIGRATIONS_TABLE, logMigrationNames } from "../typeorm/migrations/index.js";
import { openLogConnection } from "./log-connection.js";

// No import of TypeORM in this file: the check below is that opening the log never loads it in
// this process (the migrations run in a child process of their own; its entry is the built one
// in dist, so `npm run build` comes first).

/** The files of the CommonJS modules this process loaded that belong to TypeORM. */
const typeormLoaded = (): string[] =>
  Object.keys(createRequire(import.meta.url).cache).filter((file) =>
    /node_modules[\\/]typeorm[\\/]/.test(file),
  );

describe("openLogConnection", () => {
  let root: string;
  let cleanup: () => void;
  let logged: string[];
  const open = () => openLogConnection(root, (message) => logged.push(message));

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    logged = [];
  });
  afterEach(() => cleanup());

  const recorded = (db: Database.Database): string[] =>
    db
      .prepare(`SELECT name FROM ${TYPEORM_MIGRATIONS_TABLE} ORDER BY id`)
      .pluck()
      .all() as string[];

  it("migrates a new workspace through TypeORM in another process, records it, loads no TypeORM here", async () => {
    const { db } = await open();
    try {
      expect(readLogSchemaVersion(db)).toBe(LOG_SCHEMA_VERSION);
      expect(recorded(db)).toEqual(logMigrationNames());
      expect(logged).toEqual([]);
    } finally {
      db.close();
    }
    // The check sees CommonJS packages loaded here (better-sqlite3 is one), not TypeORM.
    expect(Object.keys(createRequire(import.meta.url).cache).join("\n")).toMatch(/better-sqlite3/);
    expect(typeormLoaded()).toEqual([]);
  });

  it("migrates a database the CLI made at an older schema, and says so", async () => {
    mkdirSync(storePaths(root).data, { recursive: true });
    const old = new Database(storePaths(root).logDb);
    for (const sql of LOG_SCHEMA_STEPS[0].statements) old.exec(sql);
    old.prepare(WRITE_SCHEMA_VERSION_SQL).run("1");
    old.close();
    const { db } = await open();
    try {
      expect(readLogSchemaVersion(db)).toBe(LOG_SCHEMA_VERSION);
      expect(recorded(db)).toEqual(logMigrationNames());
    } finally {
      db.close();
    }
    expect(logged).toEqual([
      expect.stringMatching(
        new RegExp(`migrated .*logs\\.db from schema version 1 to ${LOG_SCHEMA_VERSION}`),
      ),
    ]);
    expect(typeormLoaded()).toEqual([]);
  });

  it("opens a database whose migrations are all recorded without running anything", async () => {
    (await open()).db.close();
    const before = new Database(storePaths(root).logDb, { readonly: true });
    const rows = before.prepare(`SELECT * FROM ${TYPEORM_MIGRATIONS_TABLE}`).all();
    before.close();
    const { db } = await open();
    try {
      expect(db.prepare(`SELECT * FROM ${TYPEORM_MIGRATIONS_TABLE}`).all()).toEqual(rows);
    } finally {
      db.close();
    }
  });

  it("reports a migration that fails in the other process with its reason", async () => {
    // Schema 1 without the index step 2 drops: that step fails.
    const db = openLogDatabase(root);
    db.exec('DROP INDEX "log_type_ts"');
    db.prepare("DELETE FROM meta").run();
    db.prepare(WRITE_SCHEMA_VERSION_SQL).run("1");
    db.close();
    const failure = await open().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LogDatabaseOpenError);
    expect((failure as Error).message).toMatch(
      /cannot open the log database .*logs\.db: .*no such index: log_type_ts; if the file is damaged/,
    );
  });
});
