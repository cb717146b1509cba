/**
 * `@nerve/store/sense-db`: per-sense databases, their migrations, read-only peers and the
 * `sense query`/`sense schema` helpers — raw better-sqlite3, no TypeORM, no Nest.
 */
export {
  openPeerDatabase,
  openSenseDatabase,
  type OpenSenseDatabaseOptions,
} from "./sense-db/sense-database.js";
export {
  MIGRATIONS_TABLE,
  appliedMigrations,
  applySenseMigrations,
  listMigrationFiles,
  type AppliedMigration,
} from "./sense-db/sense-migrations.js";
export { SenseQuery, type SenseTable } from "./sense-db/sense-query.js";
export { guardReadOnly } from "./sense-db/read-only-guard.js";
export {
  SENSE_NAME,
  assertSenseName,
  senseDatabasePath,
  senseMigrationsDir,
} from "./sense-db/sense-paths.js";
export {
  InvalidSenseNameError,
  MigrationError,
  ReadOnlyDatabaseError,
  SenseDatabaseNotFoundError,
  SenseDatabaseOpenError,
  SenseQueryError,
} from "./errors/sense-db.error.js";
export { StoreError } from "./errors/store.error.js";
