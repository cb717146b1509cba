import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import { ReadOnlyDatabaseError, SenseQueryError } from "../errors/sense-db.error.js";
import { type StoreError, reasonOf } from "../errors/store.error.js";
import { openPeerDatabase } from "./sense-database.js";

/** A table of a sense database and its row count (`nerve sense query <name>` without SQL). */
export interface SenseTable {
  table: string;
  rows: number;
}

const USER_OBJECTS = "name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

/**
 * What `nerve sense query` and `nerve sense schema` need, over a read-only handle (see
 * openPeerDatabase) opened and closed per call; `root` is the workspace root. Stateless and
 * light (no TypeORM, no Nest).
 */
export class SenseQuery {
  /** The sense database's tables, by name, with their row counts. */
  tables(root: string, name: string): SenseTable[] {
    return withPeer(root, name, (db) => {
      const names = db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND ${USER_OBJECTS} ORDER BY name`,
        )
        .pluck()
        .all() as string[];
      return names.map((table) => ({
        table,
        rows: db
          .prepare(`SELECT count(*) FROM "${table.replaceAll('"', '""')}"`)
          .pluck()
          .get() as number,
      }));
    });
  }

  /** The CREATE statements of the sense database (tables, indexes, views, triggers), in creation order. */
  schema(root: string, name: string): string[] {
    return withPeer(
      root,
      name,
      (db) =>
        db
          .prepare(
            `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND ${USER_OBJECTS} ORDER BY rowid`,
          )
          .pluck()
          .all() as string[],
    );
  }

  /**
   * Runs one read-only SQL statement on the sense database and returns its rows as objects.
   *
   * @throws SenseQueryError for several statements, a statement that writes or returns no rows,
   *   a syntax error, or a failure while running; SenseDatabaseNotFoundError; InvalidSenseNameError.
   */
  query(root: string, name: string, sql: string): Record<string, unknown>[] {
    return withPeer(root, name, (db) => {
      let statement: Statement;
      try {
        statement = db.prepare(sql);
      } catch (error) {
        throw queryError(name, error);
      }
      try {
        return statement.all() as Record<string, unknown>[];
      } catch (error) {
        throw queryError(name, error);
      }
    });
  }
}

function withPeer<T>(root: string, name: string, use: (db: SqliteDatabase) => T): T {
  const db = openPeerDatabase(root, name);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function queryError(name: string, error: unknown): StoreError {
  if (error instanceof ReadOnlyDatabaseError) {
    return new SenseQueryError(
      `sense query on ${name}: only one read-only statement that returns rows is allowed ` +
        `(SELECT, WITH … SELECT, read-only PRAGMA, EXPLAIN): ${error.message}`,
      { cause: error },
    );
  }
  if (error instanceof RangeError && /more than one statement/.test(error.message)) {
    return new SenseQueryError(`sense query on ${name}: give one statement at a time`, {
      cause: error,
    });
  }
  if (error instanceof RangeError && /no statements/.test(error.message)) {
    return new SenseQueryError(`sense query on ${name}: the SQL is empty`, { cause: error });
  }
  return new SenseQueryError(`sense query on ${name}: ${reasonOf(error)}`, { cause: error });
}
