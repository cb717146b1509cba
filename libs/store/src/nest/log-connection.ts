import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { NERVE_VERSION } from "@nerve/core";
import { LogDatabaseOpenError, LogSchemaError } from "../errors/log.error.js";
import {
  enableIncrementalVacuum,
  newerSchemaError,
  openLogDatabase,
  peekLogDatabase,
  readLogSchemaVersion,
} from "../log/open-log-db.js";
import { LOG_SCHEMA_VERSION } from "../log/schema.js";
import { storePaths } from "../paths.js";
import type { MigrateOutcome } from "../typeorm/migrate-process.js";
import { TYPEORM_MIGRATIONS_TABLE, logMigrationNames } from "../typeorm/migrations/index.js";

/**
 * The daemon's connection to `data/logs.db`: raw better-sqlite3, opened and migrated by
 * StoreModule, closed at application shutdown. The store's services run their SQL on it; a
 * module of the daemon that needs the log's connection injects this class.
 */
export class LogConnection {
  constructor(readonly db: SqliteDatabase) {}
}

/** What the daemon needs to know of the log database before opening it. */
interface OnDisk {
  version: number;
  /** The migrations TypeORM recorded in `typeorm_migrations` (none if there is no table). */
  recorded: string[];
}

/**
 * Opens `data/logs.db` of the workspace at `root` for the daemon. A migration is due when the
 * file is new, its schema is older than this build's, or `typeorm_migrations` lacks one of
 * LOG_MIGRATIONS (the CLI made the file): then a child process loads TypeORM and runs them
 * (recording them) on a DataSource of its own, so the daemon never loads TypeORM, not even on a
 * new workspace, and the memory TypeORM takes goes with that process. The connection is then
 * opened with better-sqlite3 (see openLogDatabase) and switched to incremental vacuum, before
 * anything else uses it.
 *
 * @param log told of a migration from an older schema (from → to).
 * @throws LogSchemaError the file's schema is newer than this build's (nothing is changed), or a
 *   migration failed.
 * @throws LogDatabaseOpenError the file is not a SQLite database, or is damaged.
 */
export async function openLogConnection(
  root: string,
  log: (message: string) => void,
): Promise<LogConnection> {
  const file = storePaths(root).logDb;
  let found: OnDisk | null;
  try {
    found = peekLogDatabase(file, (db) => ({
      version: readLogSchemaVersion(db),
      recorded: recordedMigrations(db),
    }));
  } catch (error) {
    throw new LogDatabaseOpenError(file, error);
  }
  if (found !== null && found.version > LOG_SCHEMA_VERSION)
    throw newerSchemaError(file, found.version);
  if (migrationDue(found)) {
    await migrateInChildProcess(root, file);
    if (found !== null && found.version < LOG_SCHEMA_VERSION) {
      log(
        `migrated ${file} from schema version ${found.version} to ${LOG_SCHEMA_VERSION} ` +
          `(Nerve ${NERVE_VERSION})`,
      );
    }
  }
  // Every step is applied by now, so this only opens and configures the connection.
  const db = openLogDatabase(root);
  try {
    // Before anything else uses the connection, so the one VACUUM it may take stalls nobody.
    enableIncrementalVacuum(db);
  } catch (error) {
    db.close();
    throw new LogDatabaseOpenError(file, error);
  }
  return new LogConnection(db);
}

/** The built entry of the migration process: beside this module's folder in `dist`, and found
 * through the package's `dist` when the sources run under a test runner. */
function migrateProcessFile(): string {
  const from = import.meta.url;
  return fileURLToPath(
    from.endsWith(".ts")
      ? new URL("../../dist/typeorm/migrate-process.js", from)
      : new URL("../typeorm/migrate-process.js", from),
  );
}

/** Runs LOG_MIGRATIONS through TypeORM in a child process (see migrate-process.ts); its
 * failure is thrown here as the error the process caught. */
async function migrateInChildProcess(root: string, file: string): Promise<void> {
  const child = fork(migrateProcessFile(), [root], {
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let outcome: MigrateOutcome | undefined;
  child.once("message", (message) => {
    outcome = message as MigrateOutcome;
  });
  const exit = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(signal === null ? `code ${code}` : signal));
  });
  if (outcome === undefined) {
    throw new LogSchemaError(
      `could not migrate ${file}: the migration process ended (${exit}) before it answered`,
    );
  }
  if (outcome.ok) return;
  if (outcome.kind === "open") throw new LogDatabaseOpenError(file, new Error(outcome.reason));
  throw new LogSchemaError(
    outcome.kind === "schema" ? outcome.message : `could not migrate ${file}: ${outcome.message}`,
  );
}

function migrationDue(found: OnDisk | null): boolean {
  if (found === null || found.version < LOG_SCHEMA_VERSION) return true;
  const recorded = new Set(found.recorded);
  return logMigrationNames().some((name) => !recorded.has(name));
}

function recordedMigrations(db: SqliteDatabase): string[] {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(TYPEORM_MIGRATIONS_TABLE);
  if (table === undefined) return [];
  return db.prepare(`SELECT name FROM "${TYPEORM_MIGRATIONS_TABLE}"`).pluck().all() as string[];
}
