import { existsSync, mkdirSync } from "node:fs";
import Database, { type Database as SqliteDatabase } from "better-sqlite3";
import {
  LogDatabaseNotFoundError,
  LogDatabaseOpenError,
  LogSchemaError,
} from "../errors/log.error.js";
import { NERVE_VERSION } from "@nerve/core";
import { storePaths } from "../paths.js";
import {
  LOG_SCHEMA_STEPS,
  LOG_SCHEMA_VERSION,
  META_EXISTS_SQL,
  READ_SCHEMA_VERSION_SQL,
  WRITE_SCHEMA_VERSION_SQL,
} from "./schema.js";

/** How long a statement waits for another process's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

export interface OpenLogDatabaseOptions {
  /**
   * Open read-only (`query_only` too): the file must exist and be fully migrated. Used by
   * worker processes, whose log access is read-only. Default false: the database is created
   * and migrated if needed, so the CLI works on a workspace whose daemon never ran.
   */
  readonly?: boolean;
}

/**
 * Opens `data/logs.db` of the workspace at `root` with raw better-sqlite3 (no TypeORM): WAL,
 * `synchronous=NORMAL`, a 5 s busy timeout. Unless `readonly`, creates `data/` and the file
 * and applies pending schema steps, exactly as the daemon's TypeORM migrations would.
 *
 * @throws LogDatabaseNotFoundError read-only and the file does not exist.
 * @throws LogSchemaError the file's schema is newer than this build, or (read-only) older.
 * @throws LogDatabaseOpenError the file is not a SQLite database, or is damaged.
 */
export function openLogDatabase(
  root: string,
  options: OpenLogDatabaseOptions = {},
): SqliteDatabase {
  const file = storePaths(root).logDb;
  if (options.readonly) {
    if (!existsSync(file)) throw new LogDatabaseNotFoundError(file);
    const db = new Database(file, {
      readonly: true,
      fileMustExist: true,
      timeout: BUSY_TIMEOUT_MS,
    });
    try {
      db.pragma("query_only = ON");
      const version = readLogSchemaVersion(db);
      if (version !== LOG_SCHEMA_VERSION) {
        throw new LogSchemaError(
          `${file} has schema version ${version}, expected ${LOG_SCHEMA_VERSION}; ` +
            (version < LOG_SCHEMA_VERSION
              ? "start the daemon (or any writing nerve command) once to migrate it"
              : "it was written by a newer Nerve"),
        );
      }
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }
  mkdirSync(storePaths(root).data, { recursive: true });
  let db: SqliteDatabase;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new LogDatabaseOpenError(file, error);
  }
  try {
    try {
      configureLogConnection(db);
    } catch (error) {
      throw new LogDatabaseOpenError(file, error);
    }
    migrateLogDatabase(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The pragmas every writing connection to `logs.db` uses (also applied to TypeORM's one). */
export function configureLogConnection(db: SqliteDatabase): void {
  // Only takes effect on a new, empty file; an older one is converted by
  // enableIncrementalVacuum. Lets retention give freed pages back in small steps.
  db.pragma("auto_vacuum = INCREMENTAL");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

/**
 * The schema version of the log database file as it is on disk, without changing it: null when
 * there is no file yet (a new workspace), 0 for a database with no schema.
 */
export function peekLogSchemaVersion(file: string): number | null {
  return peekLogDatabase(file, readLogSchemaVersion);
}

/**
 * What `read` finds in the log database file as it is on disk, read on a read-only connection
 * closed afterwards; null when there is no file yet. Nothing is created or changed.
 */
export function peekLogDatabase<T>(file: string, read: (db: SqliteDatabase) => T): T | null {
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * The refusal of a database a newer Nerve wrote: what, which versions, and the fix. Nothing is
 * changed in such a database.
 */
export function newerSchemaError(file: string, version: number): LogSchemaError {
  return new LogSchemaError(
    `${file} has schema version ${version}, newer than the ${LOG_SCHEMA_VERSION} this Nerve ` +
      `(${NERVE_VERSION}) knows: a newer Nerve wrote it. Upgrade Nerve to open this workspace ` +
      "(npm install -g nerve@latest); nothing was changed",
  );
}

/** The schema version recorded in `meta`, 0 for an empty database. */
export function readLogSchemaVersion(db: SqliteDatabase): number {
  if (db.prepare(META_EXISTS_SQL).get() === undefined) return 0;
  const row = db.prepare(READ_SCHEMA_VERSION_SQL).get() as { value: string } | undefined;
  return row === undefined ? 0 : Number(row.value);
}

/**
 * Applies the schema steps the database lacks, each in its own IMMEDIATE transaction (so two
 * processes opening a fresh workspace at once serialise, and the second one finds nothing to do).
 *
 * @returns the versions before and after.
 */
export function migrateLogDatabase(
  db: SqliteDatabase,
  file = db.name,
): { from: number; to: number } {
  const from = readLogSchemaVersion(db);
  if (from > LOG_SCHEMA_VERSION) throw newerSchemaError(file, from);
  for (const step of LOG_SCHEMA_STEPS) {
    if (step.version <= from) continue;
    const apply = db.transaction(() => {
      // Re-read inside the write lock: another process may have applied it meanwhile.
      if (readLogSchemaVersion(db) >= step.version) return;
      for (const sql of step.statements) db.exec(sql);
      db.prepare(WRITE_SCHEMA_VERSION_SQL).run(String(step.version));
    });
    try {
      apply.immediate();
    } catch (error) {
      throw new LogSchemaError(
        `${file}: schema step ${step.version} (${step.name}) failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return { from, to: readLogSchemaVersion(db) };
}

/** SQLite's code for `auto_vacuum = INCREMENTAL`. */
const AUTO_VACUUM_INCREMENTAL = 2;

/**
 * Switches a database made without `auto_vacuum = INCREMENTAL` to it. That takes one VACUUM,
 * which rewrites the whole file and holds the write lock meanwhile: the daemon does it once at
 * start, before it serves anything; a busy database is left as it is and tried again next time.
 *
 * @returns whether the file was converted now.
 */
export function enableIncrementalVacuum(db: SqliteDatabase): boolean {
  if (db.pragma("auto_vacuum", { simple: true }) === AUTO_VACUUM_INCREMENTAL) return false;
  db.pragma("auto_vacuum = INCREMENTAL");
  try {
    db.exec("VACUUM");
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return false;
    throw error;
  }
  return true;
}
