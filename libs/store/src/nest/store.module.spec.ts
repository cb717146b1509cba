import { writeFileSync } from "node:fs";
import { Test, type TestingModule } from "@nestjs/testing";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { LogArchive } from "../archive/log-archive.js";
import { BlobStore } from "../blobs/blob-store.js";
import { LogStore } from "../log/log-store.js";
import { openLogDatabase, readLogSchemaVersion } from "../log/open-log-db.js";
import { LOG_SCHEMA_VERSION } from "../log/schema.js";
import { MetaStore } from "../meta/meta-store.js";
import { storePaths } from "../paths.js";
import { StoreReader } from "../reader/store-reader.js";
import { RunStore } from "../runs/run-store.js";
import {
  LOG_MIGRATIONS,
  LogEntry,
  StoreDataSource,
  TYPEORM_MIGRATIONS_TABLE,
  createStoreDataSource,
} from "../typeorm.js";
import { LogConnection } from "./log-connection.js";
import { StoreModule } from "./store.module.js";

const MIGRATION_NAMES = [
  "LogSchemaInitial1730000000001",
  "LogSchemaSignalTypeIndex1730000000002",
  "LogSchemaHashChain1730000000003",
  "LogSchemaLineage1730000000004",
];

describe(StoreModule.name, () => {
  let root: string;
  let cleanup: () => void;
  let app: TestingModule | undefined;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    cleanup();
  });

  const boot = async (): Promise<TestingModule> => {
    app = await Test.createTestingModule({ imports: [StoreModule.forRoot({ root })] }).compile();
    app.enableShutdownHooks();
    await app.init();
    return app;
  };

  /** What `sql` returns on a read-only connection of its own. */
  const fromOutside = (sql: string): unknown[] => {
    const db = new Database(storePaths(root).logDb, { readonly: true });
    try {
      return db.prepare(sql).raw().all();
    } finally {
      db.close();
    }
  };

  /** A TypeORM DataSource as a module of the workspace would open one (closed by the caller). */
  const openDataSource = (): Promise<StoreDataSource> => createStoreDataSource(root).initialize();

  const countFromOutside = (): number => {
    const db = new Database(storePaths(root).logDb, { readonly: true });
    try {
      return db.prepare("SELECT count(*) FROM log").pluck().get() as number;
    } finally {
      db.close();
    }
  };

  describe("forRoot", () => {
    it("creates and migrates data/logs.db through TypeORM and provides the stores", async () => {
      const module = await boot();
      const { db } = module.get(LogConnection);
      expect(readLogSchemaVersion(db)).toBe(LOG_SCHEMA_VERSION);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("auto_vacuum", { simple: true })).toBe(2);
      expect(db.prepare(`SELECT name FROM ${TYPEORM_MIGRATIONS_TABLE}`).pluck().all()).toEqual(
        MIGRATION_NAMES,
      );
      for (const token of [LogStore, RunStore, MetaStore, StoreReader, LogArchive, BlobStore]) {
        expect(module.get(token)).toBeInstanceOf(token);
      }
    });

    it("gives a TypeORM DataSource of a module the rows the stores wrote", async () => {
      const module = await boot();
      const runs = module.get(RunStore);
      runs.create({ runId: "r1", workflow: "w", status: "queued", maxRounds: 3, source: "cli" });
      await module
        .get(LogStore)
        .appendDurable({ source: "cli", type: "workflow.queued", refId: "r1" });
      const dataSource = await openDataSource();
      try {
        const entries = await dataSource.getRepository(LogEntry).findBy({ refId: "r1" });
        expect(entries.map((e) => e.type)).toEqual(["workflow.queued"]);
      } finally {
        await dataSource.destroy();
      }
      expect(module.get(StoreReader).getRun("r1")!.status).toBe("queued");
    });

    it("migrates a database an older daemon made and records the new migrations", async () => {
      // As a daemon that knew only the first two migrations left it.
      const older = await new StoreDataSource({
        ...createStoreDataSource(root).options,
        migrations: LOG_MIGRATIONS.slice(0, 2),
      }).initialize();
      await older.query("INSERT INTO log (ts, source, type) VALUES (1, 'cli', 'x')");
      await older.destroy();
      expect(fromOutside("SELECT value FROM meta WHERE key = 'schema_version'")).toEqual([["2"]]);

      const module = await boot();
      const { db } = module.get(LogConnection);
      expect(readLogSchemaVersion(db)).toBe(LOG_SCHEMA_VERSION);
      expect(db.prepare(`SELECT id, name FROM ${TYPEORM_MIGRATIONS_TABLE}`).raw().all()).toEqual(
        MIGRATION_NAMES.map((name, i) => [i + 1, name]),
      );
      expect(db.prepare("SELECT type FROM log").pluck().all()).toEqual(["x"]);
      // The new columns are there: the hash chain's, the lineage's tables.
      expect(db.prepare("SELECT count(*) FROM log WHERE hash IS NULL").pluck().get()).toBe(1);
      expect(db.prepare("SELECT count(*) FROM lineage_compute").pluck().get()).toBe(0);
    });

    it("opens a database it migrated before as it is", async () => {
      await boot();
      await app!.close();
      app = undefined;
      const before = fromOutside(`SELECT * FROM ${TYPEORM_MIGRATIONS_TABLE}`);
      const module = await boot();
      expect(readLogSchemaVersion(module.get(LogConnection).db)).toBe(LOG_SCHEMA_VERSION);
      await module.close();
      app = undefined;
      expect(fromOutside(`SELECT * FROM ${TYPEORM_MIGRATIONS_TABLE}`)).toEqual(before);
    });

    it("refuses a database a newer Nerve wrote and leaves it untouched", async () => {
      const db = openLogDatabase(root);
      db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
      db.close();
      await expect(boot()).rejects.toThrow(
        /has schema version 99, newer than the \d+ this Nerve .* knows: a newer Nerve wrote it/,
      );
      expect(fromOutside("SELECT value FROM meta WHERE key = 'schema_version'")).toEqual([["99"]]);
      expect(fromOutside(`SELECT 1 FROM sqlite_master WHERE name = 'typeorm_migrations'`)).toEqual(
        [],
      );
    });

    it("says a damaged file cannot be opened and how to start again", async () => {
      openLogDatabase(root).close();
      writeFileSync(storePaths(root).logDb, Buffer.alloc(8192, 0x5a));
      await expect(boot()).rejects.toThrow(
        /cannot open the log database .*logs\.db: .*; if the file is damaged, move it away/,
      );
    });

    it("flushes appended rows and closes on application shutdown", async () => {
      const module = await boot();
      const log = module.get(LogStore);
      for (let i = 0; i < 1_234; i += 1)
        log.append({ source: "cli", type: "signal", payload: { i } });
      await module.close();
      app = undefined;
      expect(countFromOutside()).toBe(1_234);
      expect(module.get(LogConnection).db.open).toBe(false);
      expect(() => log.append({ source: "cli", type: "late" })).toThrow(/closed/);
    });

    it("opens a database first created by the light opener without running a step twice", async () => {
      const light = openLogDatabase(root);
      light.prepare("INSERT INTO log (ts, source, type) VALUES (1, 'cli', 'x')").run();
      light.close();
      const module = await boot();
      const { db } = module.get(LogConnection);
      expect(db.prepare("SELECT count(*) FROM log").pluck().get()).toBe(1);
      expect(db.prepare(`SELECT name FROM ${TYPEORM_MIGRATIONS_TABLE}`).pluck().all()).toEqual(
        MIGRATION_NAMES,
      );
      await module.close();
      app = undefined;
      // And the light opener finds nothing to do on a database the daemon made.
      const again = openLogDatabase(root);
      expect(readLogSchemaVersion(again)).toBe(LOG_SCHEMA_VERSION);
      again.close();
    });
  });

  describe("entities", () => {
    it("agree with the schema the migrations create", async () => {
      await boot();
      const dataSource = await openDataSource();
      try {
        const sql = await dataSource.driver.createSchemaBuilder().log();
        expect(sql.upQueries.map((q) => q.query)).toEqual([]);
      } finally {
        await dataSource.destroy();
      }
    });
  });
});
