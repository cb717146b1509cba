import Database from "better-sqlite3";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { DataSource } from "typeorm";
import { BUSY_TIMEOUT_MS, configureLogConnection } from "../log/open-log-db.js";
import { storePaths } from "../paths.js";
import { LineageCause, LineageCompute } from "./entities/lineage.entity.js";
import { LogEntry } from "./entities/log-entry.entity.js";
import { Meta } from "./entities/meta.entity.js";
import { WorkflowRun } from "./entities/workflow-run.entity.js";
import { LOG_MIGRATIONS, TYPEORM_MIGRATIONS_TABLE } from "./migrations/index.js";

export { TYPEORM_MIGRATIONS_TABLE };

/**
 * The TypeORM DataSource on `data/logs.db` (better-sqlite3 driver, one connection). Its own
 * class so it can be injected by type without clashing with a DataSource a user module brings.
 */
export class StoreDataSource extends DataSource {
  /** The raw better-sqlite3 handle TypeORM uses; the store's services run their SQL on it. */
  get connection(): SqliteDatabase {
    // The better-sqlite3 driver keeps its single connection here (typed `any` on Driver).
    return (this.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  }
}

/** A DataSource for the workspace at `root`: WAL, synchronous=NORMAL, 5 s busy timeout,
 * migrations run at initialise, no synchronize. Call `initialize()` on it. */
export function createStoreDataSource(root: string): StoreDataSource {
  const paths = storePaths(root);
  return new StoreDataSource({
    type: "better-sqlite3",
    driver: Database,
    database: paths.logDb,
    timeout: BUSY_TIMEOUT_MS,
    enableWAL: true,
    prepareDatabase: (db: SqliteDatabase) => configureLogConnection(db),
    entities: [LogEntry, WorkflowRun, Meta, LineageCompute, LineageCause],
    migrations: LOG_MIGRATIONS,
    migrationsTableName: TYPEORM_MIGRATIONS_TABLE,
    migrationsRun: true,
    synchronize: false,
    logging: false,
  });
}
