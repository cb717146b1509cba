import type { LogQuery, LogReader, LogRow, ThreadMessage, WorkflowRunView } from "@nerve/core";
import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import {
  DEFAULT_LOG_QUERY_LIMIT,
  checkLogQuery,
  checkPaging,
  logFilter,
  parsePayload,
  toLogRow,
  type SqlFilter,
  type StoredLogRow,
} from "../log/log-codec.js";
import {
  ACTIVE_RUN_STATUSES,
  DEFAULT_RUN_LIST_LIMIT,
  type RunListQuery,
  type RunThread,
  type ThreadOptions,
  type WorkflowRunRecord,
} from "../runs/run-types.js";
import { buildThread, isThreadMessage } from "../runs/thread.js";

/** Log rows of this type whose ref_id is a run id make up that run's thread. */
export const WORKFLOW_MESSAGE_TYPE = "workflow.message";

const LOG_COLUMNS = "id, ts, source, type, ref_id AS refId, payload";
// Key order is the `nerve workflow list --json` shape.
const RUN_VIEW_COLUMNS =
  "run_id AS runId, workflow, status, rounds, max_rounds AS maxRounds, prompt, source, " +
  "cause_id AS causeId, created_at AS createdAt, started_at AS startedAt, ended_at AS endedAt, " +
  "end_reason AS endReason, error";
const RUN_RECORD_COLUMNS = `${RUN_VIEW_COLUMNS}, payload, resumes, updated_at AS updatedAt`;
const ACTIVE_IN = `status IN (${ACTIVE_RUN_STATUSES.map((s) => `'${s}'`).join(", ")})`;

type StoredRunRecord = Omit<WorkflowRunRecord, "payload"> & { payload: string | null };

/**
 * Every read query of the store, written once as raw SQL over a better-sqlite3 handle on
 * `data/logs.db`. Light (no TypeORM, no Nest): the CLI and workers use it on their own handle,
 * the daemon's services on TypeORM's underlying connection. Prepared statements are cached
 * per SQL text; the handle stays owned by the caller.
 */
export class StoreReader implements LogReader {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: SqliteDatabase) {}

  // ---- log ---------------------------------------------------------------------------------

  /**
   * Log rows matching the filters, payload parsed. Newest first unless `order: "asc"`;
   * at most `limit` rows (default {@link DEFAULT_LOG_QUERY_LIMIT}).
   */
  query(q: LogQuery = {}): LogRow[] {
    checkLogQuery(q);
    const { sql, params } = logQuerySql(q);
    return (this.prepare(sql).all(...params) as StoredLogRow[]).map(toLogRow);
  }

  /** How many rows match the filters (`limit`, `offset` and `order` ignored). */
  count(q: LogQuery = {}): number {
    checkLogQuery(q);
    return this.countWhere("log", logFilter(q));
  }

  // ---- runs --------------------------------------------------------------------------------

  /** The run with this id, or null. */
  getRun(runId: string): WorkflowRunRecord | null {
    const row = this.prepare(
      `SELECT ${RUN_RECORD_COLUMNS} FROM workflow_runs WHERE run_id = ?`,
    ).get(runId) as StoredRunRecord | undefined;
    return row === undefined ? null : toRecord(row);
  }

  /**
   * Runs newest first (by creation): active ones only unless `all`, optionally of one
   * workflow, paged (`limit` default 50). Payloads are left out: see {@link getRun}.
   */
  listRuns(q: RunListQuery = {}): WorkflowRunView[] {
    checkPaging("workflow run list", q.limit, q.offset);
    const { where, params } = runFilter(q);
    const sql =
      `SELECT ${RUN_VIEW_COLUMNS} FROM workflow_runs${where} ` +
      "ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?";
    return this.prepare(sql).all(
      ...params,
      q.limit ?? DEFAULT_RUN_LIST_LIMIT,
      q.offset ?? 0,
    ) as WorkflowRunView[];
  }

  /** How many runs {@link listRuns} would page through. */
  countRuns(q: RunListQuery = {}): number {
    return this.countWhere("workflow_runs", runFilter(q));
  }

  /** Runs `queued` or `started`, oldest first (the order they are resumed and re-queued in). */
  listActiveRuns(workflow?: string): WorkflowRunRecord[] {
    const sql =
      `SELECT ${RUN_RECORD_COLUMNS} FROM workflow_runs WHERE ${ACTIVE_IN}` +
      (workflow === undefined ? "" : " AND workflow = ?") +
      " ORDER BY created_at ASC, rowid ASC";
    const params = workflow === undefined ? [] : [workflow];
    return (this.prepare(sql).all(...params) as StoredRunRecord[]).map(toRecord);
  }

  // ---- threads -----------------------------------------------------------------------------

  /** The run's thread messages in commit order (start first), for resuming it. */
  messages(runId: string): ThreadMessage[] {
    const rows = this.prepare(
      "SELECT payload FROM log WHERE ref_id = ? AND type = ? ORDER BY id ASC",
    ).all(runId, WORKFLOW_MESSAGE_TYPE) as { payload: string | null }[];
    const messages: ThreadMessage[] = [];
    for (const row of rows) {
      const value = parsePayload(row.payload);
      if (isThreadMessage(value)) messages.push(value);
    }
    return messages;
  }

  /** The run's thread as `nerve workflow thread` shows it; see {@link ThreadOptions}. */
  thread(runId: string, options: ThreadOptions = {}): RunThread {
    return buildThread(runId, this.messages(runId), options);
  }

  // ---- meta --------------------------------------------------------------------------------

  /** The value stored under `key` in `meta`, or null. */
  getMeta(key: string): string | null {
    const row = this.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      { value: string } | undefined;
    return row === undefined ? null : row.value;
  }

  /** A cached prepared statement for `sql` on this handle. */
  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private countWhere(table: string, filter: SqlFilter): number {
    const row = this.prepare(`SELECT count(*) AS n FROM ${table}${filter.where}`).get(
      ...filter.params,
    ) as { n: number };
    return row.n;
  }
}

/** The SELECT that {@link StoreReader.query} runs for `q`, with its parameters. */
export function logQuerySql(q: LogQuery): { sql: string; params: (string | number)[] } {
  const { where, params } = logFilter(q);
  const dir = q.order === "asc" ? "ASC" : "DESC";
  return {
    sql: `SELECT ${LOG_COLUMNS} FROM log${where} ORDER BY ts ${dir}, id ${dir} LIMIT ? OFFSET ?`,
    params: [...params, q.limit ?? DEFAULT_LOG_QUERY_LIMIT, q.offset ?? 0],
  };
}

function runFilter(q: RunListQuery): SqlFilter {
  const clauses: string[] = [];
  const params: string[] = [];
  if (q.status !== undefined) {
    clauses.push("status = ?");
    params.push(q.status);
  } else if (!q.all) clauses.push(ACTIVE_IN);
  if (q.workflow !== undefined) {
    clauses.push("workflow = ?");
    params.push(q.workflow);
  }
  return { where: clauses.length === 0 ? "" : ` WHERE ${clauses.join(" AND ")}`, params };
}

function toRecord(row: StoredRunRecord): WorkflowRunRecord {
  return { ...row, payload: parsePayload(row.payload) };
}
