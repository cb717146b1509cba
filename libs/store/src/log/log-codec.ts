import type { LogQuery, LogRow } from "@nerve/core";
import { LogPayloadError } from "../errors/log.error.js";
import { InvalidQueryError } from "../errors/store.error.js";
import { SIGNAL_TYPE, TYPE_INDEX_WHERE } from "./schema.js";

/**
 * A payload that is already JSON text. `append({ ..., payload: new JsonText(text) })` stores
 * `text` as is instead of stringifying it again; use it where the JSON comes from elsewhere
 * (a worker's IPC message, a file) and was validated there.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** A log row as stored: the columns of `log`, payload still JSON text. */
export interface StoredLogRow {
  id: number;
  ts: number;
  source: string;
  type: string;
  refId: string | null;
  payload: string | null;
}

/** Rows a query returns when it gives no `limit`. */
export const DEFAULT_LOG_QUERY_LIMIT = 1_000;

/** The JSON text to store for a payload: `JsonText` as is, `undefined` as NULL. */
export function payloadText(payload: unknown, source: string, type: string): string | null {
  if (payload === undefined || payload === null) return null;
  if (payload instanceof JsonText) return payload.text;
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    throw new LogPayloadError(source, type, error);
  }
  // Functions and symbols stringify to undefined: store NULL rather than invent a value.
  return text ?? null;
}

/** The payload value of stored JSON text; text that is not JSON comes back as the string itself. */
export function parsePayload(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toLogRow(row: StoredLogRow): LogRow {
  return {
    id: row.id,
    ts: row.ts,
    source: row.source,
    type: row.type,
    refId: row.refId,
    payload: parsePayload(row.payload),
  };
}

/** A WHERE clause and its parameters. */
export interface SqlFilter {
  where: string;
  params: (string | number)[];
}

/** Checks a log query's fields, so user code gets a clear error instead of a SQLite one. */
export function checkLogQuery(q: LogQuery): void {
  for (const key of ["source", "type", "refId"] as const) {
    const value = q[key];
    if (value !== undefined && typeof value !== "string") {
      throw new InvalidQueryError(`log query: ${key} must be a string, got ${typeof value}`);
    }
  }
  for (const key of ["since", "until"] as const) {
    const value = q[key];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new InvalidQueryError(
        `log query: ${key} must be epoch milliseconds, got ${String(value)}`,
      );
    }
  }
  checkPaging("log query", q.limit, q.offset);
  if (q.order !== undefined && q.order !== "asc" && q.order !== "desc") {
    throw new InvalidQueryError(`log query: order must be "asc" or "desc", got ${String(q.order)}`);
  }
}

/** `limit` and `offset` must be integers ≥ 0 when given. */
export function checkPaging(what: string, limit: unknown, offset: unknown): void {
  for (const [key, value] of [
    ["limit", limit],
    ["offset", offset],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0)) {
      throw new InvalidQueryError(
        `${what}: ${key} must be an integer >= 0, got ${describe(value)}`,
      );
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}

/** The WHERE clause for a log query's filters (`since` inclusive, `until` exclusive). */
export function logFilter(q: LogQuery): SqlFilter {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (q.source !== undefined) {
    clauses.push("source = ?");
    params.push(q.source);
  }
  if (q.type !== undefined) {
    clauses.push("type = ?");
    params.push(q.type);
    // Implies the partial type index's condition, so SQLite uses it (it cannot see that from
    // the bound value). Signals are found through the time index.
    if (q.type !== SIGNAL_TYPE) clauses.push(TYPE_INDEX_WHERE);
  }
  if (q.refId !== undefined) {
    clauses.push("ref_id = ?");
    params.push(q.refId);
  }
  if (q.since !== undefined) {
    clauses.push("ts >= ?");
    params.push(q.since);
  }
  if (q.until !== undefined) {
    clauses.push("ts < ?");
    params.push(q.until);
  }
  return { where: clauses.length === 0 ? "" : ` WHERE ${clauses.join(" AND ")}`, params };
}
