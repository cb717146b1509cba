/** Row types the engine writes to the log. Modules may append types of their own. */
export const LOG_TYPES = [
  "signal",
  "sense.error",
  "sense.timeout",
  "worker.exit",
  "workflow.queued",
  "workflow.started",
  "workflow.message",
  "workflow.resumed",
  "workflow.completed",
  "workflow.failed",
  "workflow.crashed",
  "workflow.interrupted",
  "workflow.dropped",
  "workflow.error",
  "config.reload",
  "config.error",
  "daemon.start",
  "daemon.stop",
] as const;

export type LogType = (typeof LOG_TYPES)[number];

/** `sense:<name>`, `workflow:<name>`, `daemon` or `cli`. */
export type LogSource = `sense:${string}` | `workflow:${string}` | "daemon" | "cli";

/** A row of the immutable log, as printed and as returned by queries (payload parsed). */
export interface LogRow<P = unknown> {
  id: number;
  /** Epoch milliseconds. */
  ts: number;
  source: string;
  type: string;
  /** The signal id or run id this row is about. */
  refId: string | null;
  payload: P;
}

/** A row to append: id is assigned by the store, ts defaults to now. */
export interface NewLogRow<P = unknown> {
  ts?: number;
  source: string;
  type: string;
  refId?: string | null;
  payload?: P;
}

/** Filters for reading the log. `since` is inclusive and `until` exclusive, both epoch ms. */
export interface LogQuery {
  source?: string;
  type?: string;
  refId?: string;
  since?: number;
  until?: number;
  limit?: number;
  offset?: number;
  /** `desc` (newest first, the default) or `asc`. */
  order?: "asc" | "desc";
}
