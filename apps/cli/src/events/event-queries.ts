import type { LogRow } from "@nerve/core";
import type { StoreReader } from "@nerve/store/reader";
import { parsePayload, type StoredLogRow } from "@nerve/store/reader";

/** What `nerve events` filters on; every field optional, all given ones must hold. */
export interface EventFilter {
  /** Row types; one ending in `*` matches every type that starts with what comes before it. */
  types?: readonly string[];
  /** A source (`sense:cpu`, `daemon`); `sense:*` matches every source with that prefix. */
  source?: string;
  refId?: string;
  /** Inclusive, epoch ms. */
  since?: number;
  /** Exclusive, epoch ms. */
  until?: number;
}

const COLUMNS = "id, ts, source, type, ref_id AS refId, payload";
/** The partial type index leaves signal rows out; see libs/store/src/log/schema.ts. */
const SIGNAL_TYPE = "signal";
const TYPE_INDEX_WHERE = `"type" <> '${SIGNAL_TYPE}'`;
/** Sorts after every character a type or source holds: the end of a prefix range. */
const PREFIX_END = "\uffff";

interface Where {
  clauses: string[];
  params: (string | number)[];
}

/**
 * The reads of `nerve events` on `data/logs.db`: the newest matching rows, then (following)
 * the rows committed after a given id. Both go by the primary key or an index, never a scan of
 * the whole log for rows already seen.
 */
export class EventQueries {
  constructor(private readonly reader: StoreReader) {}

  /** The newest `limit` rows that match (up to id `upTo` when given), oldest first. */
  latest(filter: EventFilter, limit: number, upTo?: number): LogRow[] {
    const where = whereOf(filter);
    if (upTo !== undefined) {
      where.clauses.push("id <= ?");
      where.params.push(upTo);
    }
    const sql = `SELECT ${COLUMNS} FROM log${clause(where)} ORDER BY ts DESC, id DESC LIMIT ?`;
    const rows = this.reader.prepare(sql).all(...where.params, limit) as StoredLogRow[];
    return rows.reverse().map(toRow);
  }

  /** Matching rows with an id above `afterId`, in commit order, at most `limit`. */
  after(filter: EventFilter, afterId: number, limit: number): LogRow[] {
    const where = whereOf({ ...filter, since: undefined, until: undefined });
    where.clauses.unshift("id > ?");
    where.params.unshift(afterId);
    const sql = `SELECT ${COLUMNS} FROM log${clause(where)} ORDER BY id ASC LIMIT ?`;
    return (this.reader.prepare(sql).all(...where.params, limit) as StoredLogRow[]).map(toRow);
  }

  /** The id of the newest row, 0 for an empty log. */
  lastId(): number {
    const row = this.reader.prepare("SELECT max(id) AS id FROM log").get() as { id: number | null };
    return row.id ?? 0;
  }
}

function whereOf(filter: EventFilter): Where {
  const where: Where = { clauses: [], params: [] };
  if (filter.types !== undefined && filter.types.length > 0) typeClause(where, filter.types);
  if (filter.source !== undefined) match(where, "source", filter.source);
  if (filter.refId !== undefined) {
    where.clauses.push("ref_id = ?");
    where.params.push(filter.refId);
  }
  if (filter.since !== undefined) {
    where.clauses.push("ts >= ?");
    where.params.push(filter.since);
  }
  if (filter.until !== undefined) {
    where.clauses.push("ts < ?");
    where.params.push(filter.until);
  }
  return where;
}

function typeClause(where: Where, types: readonly string[]): void {
  const parts: string[] = [];
  for (const type of types) {
    const sub: Where = { clauses: [], params: [] };
    match(sub, "type", type);
    parts.push(sub.clauses[0]);
    where.params.push(...sub.params);
  }
  where.clauses.push(parts.length === 1 ? parts[0] : `(${parts.join(" OR ")})`);
  // Only when no signal can match may the partial type index be used (SQLite needs the term).
  const mayBeSignal = types.some((t) => t === SIGNAL_TYPE || SIGNAL_TYPE.startsWith(prefixOf(t)));
  if (!mayBeSignal) where.clauses.push(TYPE_INDEX_WHERE);
}

function prefixOf(pattern: string): string {
  return pattern.endsWith("*") ? pattern.slice(0, -1) : `${pattern}\u0000`;
}

function match(where: Where, column: "type" | "source", pattern: string): void {
  if (pattern.endsWith("*")) {
    const prefix = pattern.slice(0, -1);
    where.clauses.push(`(${column} >= ? AND ${column} < ?)`);
    where.params.push(prefix, `${prefix}${PREFIX_END}`);
  } else {
    where.clauses.push(`${column} = ?`);
    where.params.push(pattern);
  }
}

function clause(where: Where): string {
  return where.clauses.length === 0 ? "" : ` WHERE ${where.clauses.join(" AND ")}`;
}

function toRow(row: StoredLogRow): LogRow {
  return {
    id: row.id,
    ts: row.ts,
    source: row.source,
    type: row.type,
    refId: row.refId,
    payload: parsePayload(row.payload),
  };
}
