import type { Database as SqliteDatabase, PragmaOptions, Statement } from "better-sqlite3";
import { ReadOnlyDatabaseError } from "../errors/sense-db.error.js";

/**
 * Makes a read-only handle refuse everything that could still write. A read-only open
 * already refuses writes to the file itself, and any database it ATTACHes is read-only too,
 * but SQLite still lets such a connection write elsewhere: `VACUUM INTO` a new file, TEMP
 * tables once `query_only` is switched off, `backup()` to a file, loading an extension. So,
 * on this instance:
 * - `prepare` (and so `pragma`) accepts only statements that return rows and write nothing
 *   (`stmt.reader && stmt.readonly`): SELECT, read-only PRAGMAs, EXPLAIN, WITH … SELECT;
 * - `exec`, `backup` and `loadExtension` throw.
 * `transaction(fn)` still works, for one consistent snapshot over several reads.
 */
export function guardReadOnly(db: SqliteDatabase, label: string): SqliteDatabase {
  const refuse = (what: string): never => {
    throw new ReadOnlyDatabaseError(`${label}: the database is open read-only; ${what}`);
  };
  const prepare = db.prepare.bind(db);
  const guardedPrepare = (sql: string): Statement => {
    const statement = prepare(sql);
    if (!statement.readonly) {
      refuse(`refused a statement that would write: ${excerpt(sql)}`);
    }
    if (!statement.reader) {
      refuse(`only statements that return rows are allowed, refused: ${excerpt(sql)}`);
    }
    return statement;
  };
  Object.defineProperties(db, {
    prepare: { value: guardedPrepare },
    pragma: {
      value: (source: string, options: PragmaOptions = {}): unknown => {
        const statement = guardedPrepare(`PRAGMA ${source}`);
        return options.simple ? statement.pluck().get() : statement.all();
      },
    },
    exec: {
      value: (): never =>
        refuse(
          "exec() runs statements unchecked and is not available; read with prepare(sql).all()",
        ),
    },
    backup: { value: (): never => refuse("backup() writes a file and is not available") },
    loadExtension: { value: (): never => refuse("loading an extension is not allowed") },
  });
  return db;
}

function excerpt(sql: string): string {
  const oneLine = sql.replace(/\s+/g, " ").trim();
  return JSON.stringify(oneLine.length > 80 ? `${oneLine.slice(0, 80)}…` : oneLine);
}
