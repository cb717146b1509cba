import type { RunStatus, StartMessage, WorkflowRunView } from "@nerve/core";

/** A run with the fields only the engine needs: payload, resume count, last update. */
export interface WorkflowRunRecord extends WorkflowRunView {
  payload: unknown;
  /** How often the run was resumed after a worker crash or a daemon restart. */
  resumes: number;
  updatedAt: number;
}

/** Filters and paging for `list` (`nerve workflow list`). */
export interface RunListQuery {
  /** Every run, not only the active (`queued`, `started`) ones. Default false. */
  all?: boolean;
  workflow?: string;
  /** Runs in this status only (whatever `all` says). */
  status?: RunStatus;
  /** Default 50. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

/** Runs `list` returns when it gives no `limit`. */
export const DEFAULT_RUN_LIST_LIMIT = 50;

/** Statuses of runs in flight or waiting: what `list` shows by default. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ["queued", "started"];

/** A round of a thread, as `nerve workflow thread` prints it. */
export interface ThreadRound {
  round: number;
  role: string;
  content: unknown;
  ts: number;
}

/** `nerve workflow thread --json`. */
export interface RunThread {
  runId: string;
  start: StartMessage | null;
  /** Ascending by round. */
  rounds: ThreadRound[];
  /** Older rounds left out by the budget. */
  elided: number;
}

export interface ThreadOptions {
  /** Keep only rounds numbered below this one. */
  before?: number;
  /**
   * Characters of JSON content (`JSON.stringify(content).length`, summed over the rounds
   * kept). The newest rounds that fit together are kept, the older ones counted in `elided`.
   * The budget is a hard limit: when even the newest round alone is larger, no round is
   * kept and every round is elided. The start message is always returned and not counted.
   */
  budget?: number;
}
