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
import { LogEntry } from "../typeorm/entities/log-entry.entity.js";
import { StoreDataSource, TYPEORM_MIGRATIONS_TABLE } from "../typeorm/store-data-source.js";
import { StoreModule } from "./store.module.js";

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

  const countFromOutside = (): number => {
    const db = new Database(storePaths(root).logDb, { readonly: true });
    try {
      return db.prepare("SELECT count(*) FROM log").pluck().get() as number;
    } finally {
      db.close();
    }
  };

  describe("forRoot", () => {
    it("creates and migrates data/logs.db and provides the stores", async () => {
      const module = await boot();
      const ds = module.get(StoreDataSource);
      expect(readLogSchemaVersion(ds.connection)).toBe(LOG_SCHEMA_VERSION);
      expect(ds.connection.pragma("journal_mode", { simple: true })).toBe("wal");
      for (const token of [LogStore, RunStore, MetaStore, StoreReader, LogArchive, BlobStore]) {
        expect(module.get(token)).toBeInstanceOf(token);
      }
    });

    it("shares one connection between TypeORM and the raw-SQL stores", async () => {
      const module = await boot();
      const runs = module.get(RunStore);
      runs.create({ runId: "r1", workflow: "w", status: "queued", maxRounds: 3, source: "cli" });
      await module
        .get(LogStore)
        .appendDurable({ source: "cli", type: "workflow.queued", refId: "r1" });
      const entries = await module
        .get(StoreDataSource)
        .getRepository(LogEntry)
        .findBy({ refId: "r1" });
      expect(entries.map((e) => e.type)).toEqual(["workflow.queued"]);
      expect(module.get(StoreReader).getRun("r1")!.status).toBe("queued");
    });

    it("flushes appended rows and closes on application shutdown", async () => {
      const module = await boot();
      const log = module.get(LogStore);
      for (let i = 0; i < 1_234; i += 1)
        log.append({ source: "cli", type: "signal", payload: { i } });
      await module.close();
      app = undefined;
      expect(countFromOutside()).toBe(1_234);
      expect(module.get(StoreDataSource).isInitialized).toBe(false);
      expect(() => log.append({ source: "cli", type: "late" })).toThrow(/closed/);
    });

    it("opens a database first created by the light opener without running a step twice", async () => {
      const light = openLogDatabase(root);
      light.prepare("INSERT INTO log (ts, source, type) VALUES (1, 'cli', 'x')").run();
      light.close();
      const module = await boot();
      const ds = module.get(StoreDataSource);
      expect(ds.connection.prepare("SELECT count(*) FROM log").pluck().get()).toBe(1);
      expect(
        ds.connection.prepare(`SELECT name FROM ${TYPEORM_MIGRATIONS_TABLE}`).pluck().all(),
      ).toEqual([
        "LogSchemaInitial1730000000001",
        "LogSchemaSignalTypeIndex1730000000002",
        "LogSchemaHashChain1730000000003",
        "LogSchemaLineage1730000000004",
      ]);
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
      const module = await boot();
      const sql = await module.get(StoreDataSource).driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    });
  });
});
