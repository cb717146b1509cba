import Database from "better-sqlite3";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** A log row as stored, payload left as its JSON text. */
export interface RawLogRow {
  id: number;
  ts: number;
  source: string;
  type: string;
  ref_id: string | null;
  payload: string | null;
}

function withDb<T>(file: string, use: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** Every SQLite database of the workspace: `data/logs.db` and `data/senses/*.db`. */
export function databasesOf(root: string): string[] {
  const files: string[] = [];
  const log = join(root, "data", "logs.db");
  if (existsSync(log)) files.push(log);
  const senses = join(root, "data", "senses");
  if (existsSync(senses)) {
    for (const name of readdirSync(senses).sort()) {
      if (name.endsWith(".db")) files.push(join(senses, name));
    }
  }
  return files;
}

/**
 * `PRAGMA integrity_check` on every database of the workspace; returns the files whose answer
 * is not `ok`, with the answer (an empty list when all are sound).
 */
export function integrityProblems(root: string): string[] {
  const problems: string[] = [];
  for (const file of databasesOf(root)) {
    try {
      const result = withDb(file, (db) => db.pragma("integrity_check", { simple: true }));
      if (result !== "ok") problems.push(`${file}: ${String(result)}`);
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Every row of the log, oldest first, read on a connection of its own. */
export function logTable(root: string): RawLogRow[] {
  const file = join(root, "data", "logs.db");
  if (!existsSync(file)) return [];
  return withDb(file, (db) => {
    // A daemon killed during its first migration leaves a database without the table.
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'log'").get() === undefined) return [];
    return db
      .prepare("SELECT id, ts, source, type, ref_id, payload FROM log ORDER BY id")
      .all() as RawLogRow[];
  });
}

/** Rows of one table of a sense database. */
export function senseRows<T>(root: string, sense: string, sql: string): T[] {
  const file = join(root, "data", "senses", `${sense}.db`);
  if (!existsSync(file)) return [];
  return withDb(file, (db) => db.prepare(sql).all() as T[]);
}

/** Rows of a query on the log database (none when it does not exist yet). */
export function logQuery<T>(root: string, sql: string, ...params: unknown[]): T[] {
  const file = join(root, "data", "logs.db");
  if (!existsSync(file)) return [];
  return withDb(file, (db) => db.prepare(sql).all(...params) as T[]);
}

/** One value of the log database. */
export function logScalar<T>(root: string, sql: string, ...params: unknown[]): T {
  return withDb(
    join(root, "data", "logs.db"),
    (db) =>
      db
        .prepare(sql)
        .pluck()
        .get(...params) as T,
  );
}

/**
 * Which of `before` (rows read after a crash: what was committed) are missing from the log now,
 * or changed: the log is append-only, so every committed row must stay as it was.
 */
export function lostRows(before: readonly RawLogRow[], root: string): RawLogRow[] {
  const now = new Map(logTable(root).map((row) => [row.id, row]));
  return before.filter((row) => {
    const after = now.get(row.id);
    return (
      after === undefined ||
      after.ts !== row.ts ||
      after.source !== row.source ||
      after.type !== row.type ||
      after.ref_id !== row.ref_id ||
      after.payload !== row.payload
    );
  });
}

/** Signal ids stored more than once. */
export function duplicateSignals(rows: readonly RawLogRow[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const row of rows) {
    if (row.type !== "signal" || row.ref_id === null) continue;
    if (seen.has(row.ref_id)) twice.add(row.ref_id);
    seen.add(row.ref_id);
  }
  return [...twice];
}
