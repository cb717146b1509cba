import type { LogCommitError } from "../errors/log.error.js";

/** Tuning of the group commit. */
export interface LogStoreOptions {
  /** Commit as soon as this many rows are buffered. Default 1,000. */
  batchSize?: number;
  /** Commit at the latest this long after the first buffered row. Default 5 ms. */
  maxDelayMs?: number;
  /** First retry delay after a failed commit, doubled per failure. Default 50 ms. */
  retryInitialMs?: number;
  /** Longest retry delay. Default 2,000 ms. */
  retryMaxMs?: number;
  /** Told of every failed commit (the rows stay buffered). Default: a process warning. */
  onError?: (error: LogCommitError) => void;
  /** The clock for rows without `ts`. Default `Date.now`. */
  now?: () => number;
  /** Called after each commit (the daemon wakes its WAL checkpoint thread with it). */
  onCommit?: () => void;
}
