import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { MigrationError } from "../errors/sense-db.error.js";
import { reasonOf } from "../errors/store.error.js";

/** The table, inside each sense database, that records the migrations applied to it. */
export const MIGRATIONS_TABLE = "_nerve_migrations";

/** A row of {@link MIGRATIONS_TABLE}. */
export interface AppliedMigration {
  /** The file name, e.g. `001-init.sql`. */
  name: string;
  /** Epoch ms. */
  appliedAt: number;
  /** sha256 hex of the file's bytes when it was applied. */
  sha256: string;
}

/** The `.sql` files of a migrations folder in lexical (code unit) order; none if it is missing. */
export function listMigrationFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".sql"))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The migrations recorded in a sense database, in the order they were applied. */
export function appliedMigrations(db: SqliteDatabase): AppliedMigration[] {
  ensureMigrationsTable(db);
  return db
    .prepare(`SELECT name, applied_at AS appliedAt, sha256 FROM ${MIGRATIONS_TABLE} ORDER BY rowid`)
    .all() as AppliedMigration[];
}

/**
 * Applies the migrations of `dir` not yet recorded in `db`, in lexical order, each in its own
 * IMMEDIATE transaction together with its record (so two processes opening the database at
 * once apply each file once). A file already recorded is skipped even if it changed since.
 *
 * @returns the names applied by this call.
 * @throws MigrationError for the first file that fails: the files before it stay applied,
 *   it is rolled back and not recorded, the ones after it are not tried.
 */
export function applySenseMigrations(db: SqliteDatabase, senseName: string, dir: string): string[] {
  ensureMigrationsTable(db);
  const isApplied = db.prepare(`SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE name = ?`).pluck();
  const record = db.prepare(
    `INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at, sha256) VALUES (?, ?, ?)`,
  );
  const applied: string[] = [];
  for (const name of listMigrationFiles(dir)) {
    if (isApplied.get(name) !== undefined) continue;
    const file = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new MigrationError(senseName, file, `cannot read the file: ${reasonOf(error)}`, error);
    }
    db.exec("BEGIN IMMEDIATE");
    try {
      if (isApplied.get(name) === undefined) {
        db.exec(bytes.toString("utf8"));
        if (!db.inTransaction) {
          throw new Error(
            "the file ends the transaction itself (COMMIT/ROLLBACK/END); each migration already " +
              "runs in its own transaction, so leave transaction statements out",
          );
        }
        record.run(name, Date.now(), createHash("sha256").update(bytes).digest("hex"));
        applied.push(name);
      }
      db.exec("COMMIT");
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw new MigrationError(senseName, file, reasonOf(error), error);
    }
  }
  return applied;
}

function ensureMigrationsTable(db: SqliteDatabase): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} ` +
      "(name TEXT PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL, sha256 TEXT NOT NULL)",
  );
}
