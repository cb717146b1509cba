import { existsSync, mkdirSync } from "node:fs";
import Database, { type Database as SqliteDatabase } from "better-sqlite3";
import { SenseDatabaseNotFoundError, SenseDatabaseOpenError } from "../errors/sense-db.error.js";
import { BUSY_TIMEOUT_MS } from "../log/open-log-db.js";
import { storePaths } from "../paths.js";
import { guardReadOnly } from "./read-only-guard.js";
import { applySenseMigrations } from "./sense-migrations.js";
import { senseDatabasePath, senseMigrationsDir } from "./sense-paths.js";

export interface OpenSenseDatabaseOptions {
  /** Where the sense's `*.sql` migrations are. Default `senses/<name>/migrations/`. */
  migrationsDir?: string;
}

/**
 * Opens (creating it and `data/senses/` if needed) the database of sense `name`:
 * `data/senses/<name>.db`, WAL, `synchronous=NORMAL`, 5 s busy timeout, with the sense's
 * migrations applied (see applySenseMigrations). The caller owns the handle.
 *
 * @throws InvalidSenseNameError, SenseDatabaseOpenError (not a database, damaged),
 *   MigrationError (the handle is closed then)
 */
export function openSenseDatabase(
  root: string,
  name: string,
  options: OpenSenseDatabaseOptions = {},
): SqliteDatabase {
  const file = senseDatabasePath(root, name);
  mkdirSync(storePaths(root).senseDbs, { recursive: true });
  let db: SqliteDatabase;
  try {
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new SenseDatabaseOpenError(name, file, error);
  }
  try {
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    } catch (error) {
      throw new SenseDatabaseOpenError(name, file, error);
    }
    applySenseMigrations(db, name, options.migrationsDir ?? senseMigrationsDir(root, name));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A read-only handle on the database of sense `name` (`ctx.peer(name)`): opened read-only
 * with `query_only`, and guarded so that no statement can write anything anywhere (see
 * guardReadOnly). The caller owns the handle.
 *
 * @throws InvalidSenseNameError; SenseDatabaseNotFoundError "sense X has no database yet".
 */
export function openPeerDatabase(root: string, name: string): SqliteDatabase {
  const file = senseDatabasePath(root, name);
  if (!existsSync(file)) throw new SenseDatabaseNotFoundError(name, file);
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma("query_only = ON");
    return guardReadOnly(db, `sense ${name}`);
  } catch (error) {
    db.close();
    throw error;
  }
}
