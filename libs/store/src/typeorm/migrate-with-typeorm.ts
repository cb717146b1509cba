import { LogDatabaseOpenError, LogSchemaError } from "../errors/log.error.js";
import { StoreError } from "../errors/store.error.js";
import { readLogSchemaVersion } from "../log/open-log-db.js";
import { LOG_SCHEMA_VERSION } from "../log/schema.js";
import { storePaths } from "../paths.js";
import { createStoreDataSource } from "./store-data-source.js";

/**
 * Runs the pending LOG_MIGRATIONS on `data/logs.db` of the workspace at `root` through a TypeORM
 * DataSource (created with its folder and file if there is none), which records them in
 * `typeorm_migrations`, then closes that DataSource. Run by the migration process the daemon
 * forks when a migration is due (see migrate-process.ts).
 *
 * @throws LogSchemaError a step failed, or the database ends at another version than this build's.
 * @throws LogDatabaseOpenError the file is not a SQLite database, or is damaged.
 */
export async function migrateWithTypeorm(root: string): Promise<void> {
  const file = storePaths(root).logDb;
  let dataSource;
  try {
    // Runs the migrations; on failure TypeORM closes its connection itself.
    dataSource = await createStoreDataSource(root).initialize();
  } catch (error) {
    throw error instanceof StoreError ? error : new LogDatabaseOpenError(file, error);
  }
  try {
    const version = readLogSchemaVersion(dataSource.connection);
    if (version !== LOG_SCHEMA_VERSION) {
      throw new LogSchemaError(
        `${file} has schema version ${version} after its migrations, expected ` +
          `${LOG_SCHEMA_VERSION}; a newer Nerve wrote it`,
      );
    }
  } finally {
    await dataSource.destroy();
  }
}
