import { hash as sha256 } from "node:crypto";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import { UPSERT_META_SQL } from "./schema.js";

/**
 * The hash chain of the log. Every row carries `hash = sha256(prev ‖ canonical(row))`, hex,
 * where `prev` is the hash of the row before it in id order (across the archive and the
 * database) and `canonical(row)` is the JSON array `[id, ts, source, type, ref_id, payload]`
 * (see {@link canonicalRow}). The first row chains from {@link GENESIS_HASH}.
 */

/** The `prev` of the very first row of a chain. */
export const GENESIS_HASH = "0".repeat(64);

/** Meta key of the newest row taken out of the database by the archive: `{"id":…,"hash":…}`.
 * Written when the archive deletes the row with the highest id, so the next append still
 * finds the hash it chains from. */
export const LOG_HEAD_KEY = "log.head";

/** Meta key of the highest id up to which every row of the database has its hash. */
export const CHAIN_CURSOR_KEY = "log.chained_to";

/**
 * The canonical JSON of a row's hashed columns: `[id,ts,"source","type",refId,payload]`, the
 * payload as its stored JSON text, unchanged (no parse and no re-escaping on the commit path);
 * a row without payload has no sixth element, so it differs from a payload of `null`. Strings
 * are escaped by JSON.stringify, and the payload comes last, so no two rows share one text.
 */
export function canonicalRow(
  id: number,
  ts: number,
  source: string,
  type: string,
  refId: string | null,
  payload: string | null,
): string {
  const head = `[${id},${ts},${quoted(source)},${quoted(type)},${refId === null ? "null" : JSON.stringify(refId)}`;
  return payload === null ? `${head}]` : `${head},${payload}]`;
}

// Sources and types repeat: keep their JSON text rather than stringify them per row.
const QUOTED_MAX = 1_024;
const quotedCache = new Map<string, string>();

function quoted(text: string): string {
  let json = quotedCache.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quotedCache.size >= QUOTED_MAX) quotedCache.clear();
    quotedCache.set(text, json);
  }
  return json;
}

/** `sha256(prev ‖ canonical)` as hex. */
export function chainHash(prev: string, canonical: string): string {
  return sha256("sha256", prev + canonical, "hex");
}

/** The newest row of the chain: its id (0 before the first row) and hash (null while rows
 * made before the chain existed still wait for theirs, see {@link chainPendingRows}). */
export interface ChainHead {
  id: number;
  hash: string | null;
}

/** Reads the chain head on one connection; `read()` costs two index seeks. */
export class ChainHeadReader {
  private readonly seq: Statement;
  private readonly rowHash: Statement;
  private readonly meta: Statement;

  constructor(db: SqliteDatabase) {
    this.seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log'").pluck();
    this.rowHash = db.prepare("SELECT hash FROM log WHERE id = ?").pluck();
    this.meta = db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
  }

  /** The id the last row was given (AUTOINCREMENT: never reused, also after archiving). */
  lastId(): number {
    return (this.seq.get() as number | undefined) ?? 0;
  }

  /** The head for the last id given, `lastId` when already known. */
  read(lastId = this.lastId()): ChainHead {
    if (lastId === 0) return { id: 0, hash: GENESIS_HASH };
    const hash = this.rowHash.get(lastId) as string | null | undefined;
    if (hash !== undefined) return { id: lastId, hash };
    const archived = parseHead(this.meta.get(LOG_HEAD_KEY) as string | undefined);
    return { id: lastId, hash: archived?.id === lastId ? archived.hash : null };
  }
}

/** The `{id, hash}` text of meta key `log.head`, or null. */
export function parseHead(text: string | undefined): { id: number; hash: string } | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(text) as { id?: unknown; hash?: unknown };
    if (typeof value.id === "number" && typeof value.hash === "string") {
      return { id: value.id, hash: value.hash };
    }
  } catch {
    // Unreadable: as if absent.
  }
  return null;
}

export interface ChainPendingOptions {
  /** Rows hashed per write transaction. Default 2,000 (a few ms). */
  batchRows?: number;
  /** Ids scanned for a row without hash per read. Default 50,000. */
  scanIds?: number;
}

interface PendingRow {
  id: number;
  ts: number;
  source: string;
  type: string;
  refId: string | null;
  payload: string | null;
  hash: string | null;
}

/**
 * Gives its hash to every row that has none: rows written before schema version 3, and rows
 * appended while those were still unchained (LogStore cannot chain onto a row without hash).
 * Works upward from the meta cursor in small write transactions with a turn of the event loop
 * between them, so a daemon running on the same connection is never held up for long; safe to
 * run from several processes at once (each batch re-reads what it chains inside its lock).
 *
 * @returns the number of rows it hashed.
 */
export async function chainPendingRows(
  db: SqliteDatabase,
  options: ChainPendingOptions = {},
): Promise<number> {
  const batchRows = options.batchRows ?? 2_000;
  const scanIds = options.scanIds ?? 50_000;
  const head = new ChainHeadReader(db);
  const cursorOf = db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
  const setMeta = db.prepare(UPSERT_META_SQL);
  const firstPending = db
    .prepare("SELECT min(id) FROM log WHERE id > ? AND id <= ? AND hash IS NULL")
    .pluck();
  const prevRow = db.prepare("SELECT id, hash FROM log WHERE id < ? ORDER BY id DESC LIMIT 1");
  const page = db.prepare(
    "SELECT id, ts, source, type, ref_id AS refId, payload, hash FROM log " +
      "WHERE id >= ? ORDER BY id LIMIT ?",
  );
  const setHash = db.prepare("UPDATE log SET hash = ? WHERE id = ? AND hash IS NULL");
  let hashed = 0;
  const chainBatch = db.transaction((from: number): number => {
    const before = prevRow.get(from) as { id: number; hash: string | null } | undefined;
    const archived = parseHead(cursorOf.get(LOG_HEAD_KEY) as string | undefined);
    let prev =
      before !== undefined && (archived === null || before.id > archived.id)
        ? before.hash
        : (archived?.hash ?? GENESIS_HASH);
    if (prev === null) return from - 1; // a row below is still pending: start there next.
    let last = from - 1;
    for (const row of page.all(from, batchRows) as PendingRow[]) {
      if (row.hash === null) {
        const hash = chainHash(
          prev,
          canonicalRow(row.id, row.ts, row.source, row.type, row.refId, row.payload),
        );
        setHash.run(hash, row.id);
        hashed += 1;
        prev = hash;
      } else {
        prev = row.hash;
      }
      last = row.id;
    }
    return last;
  });
  let cursor = Number((cursorOf.get(CHAIN_CURSOR_KEY) as string | undefined) ?? 0);
  for (;;) {
    const top = head.lastId();
    if (cursor >= top) break;
    const pending = firstPending.get(cursor, Math.min(top, cursor + scanIds)) as number | null;
    if (pending === null) {
      cursor = Math.min(top, cursor + scanIds);
    } else {
      const reached = chainBatch.immediate(pending);
      cursor = reached < pending ? 0 : reached;
    }
    await nextTurn();
  }
  setMeta.run(CHAIN_CURSOR_KEY, String(cursor));
  return hashed;
}
