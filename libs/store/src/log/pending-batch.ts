import type { LogRow, NewLogRow } from "@nerve/core";
import { InvalidLogRowError, LogStoreClosedError } from "../errors/log.error.js";
import type { ComputeLineage } from "../lineage/lineage-types.js";
import { payloadText } from "./log-codec.js";

/** Buffer slots per row: ts, source, type, ref_id, payload. */
export const SLOTS = 5;

/** A caller waiting for the commit of the rows up to and including row `index` of the batch. */
export interface Waiter {
  index: number;
  /** The row as committed, its id filled in; null when the caller only waits for the commit. */
  row: LogRow | null;
  resolve: (row: LogRow | null) => void;
  reject: (error: Error) => void;
  /**
   * Set on the waiter of {@link LogStore.appendCommitted} rows: the promise it settles, which
   * the rows appended right after it that only wait for the commit share (see there).
   */
  shared?: Promise<void>;
}

/**
 * What the next commit writes: the rows appended since the last one, checked and flat in
 * `buffer` ({@link SLOTS} slots a row, one array for the batch, no object per row), the callers
 * waiting for that commit, and the compute lineage that joins its transaction. A commit takes
 * the arrays as they are and {@link PendingBatch.clear} starts new ones; a failed commit leaves
 * them for the retry.
 */
export class PendingBatch {
  buffer: (string | number | null)[] = [];
  rows = 0;
  waiters: Waiter[] = [];
  lineage: ComputeLineage[] = [];
  private closed = false;

  /**
   * @param name the database file, for errors
   * @param now the clock for rows without `ts`
   */
  constructor(
    private readonly name: string,
    private readonly now: () => number,
  ) {}

  /** Nothing to commit: no rows, no lineage. */
  get empty(): boolean {
    return this.rows === 0 && this.lineage.length === 0;
  }

  /** The waiter of the latest rows, if a caller waits for them. */
  get lastWaiter(): Waiter | undefined {
    return this.waiters.length > 0 ? this.waiters[this.waiters.length - 1] : undefined;
  }

  /**
   * Checks `row` and buffers it; returns its `ts`.
   *
   * @throws InvalidLogRowError, LogPayloadError for a malformed row; LogStoreClosedError once
   *   closed.
   */
  add(row: NewLogRow): number {
    if (this.closed) throw new LogStoreClosedError(this.name);
    const { source, type } = row;
    if (typeof source !== "string" || source === "" || typeof type !== "string" || type === "") {
      throw new InvalidLogRowError(
        `log row needs a non-empty source and type, got source ${JSON.stringify(source)}, ` +
          `type ${JSON.stringify(type)}`,
      );
    }
    const ts = row.ts ?? this.now();
    if (!Number.isSafeInteger(ts)) {
      throw new InvalidLogRowError(
        `log row ${source}/${type}: ts must be integer epoch ms, got ${String(ts)}`,
      );
    }
    const refId = row.refId ?? null;
    if (refId !== null && typeof refId !== "string") {
      throw new InvalidLogRowError(`log row ${source}/${type}: refId must be a string or null`);
    }
    const text = payloadText(row.payload, source, type);
    this.buffer.push(ts, source, type, refId, text);
    this.rows += 1;
    return ts;
  }

  /**
   * Adds a compute's lineage to the batch.
   *
   * @throws LogStoreClosedError once closed.
   */
  addLineage(record: ComputeLineage): void {
    if (this.closed) throw new LogStoreClosedError(this.name);
    this.lineage.push(record);
  }

  /** Makes a caller wait for the commit of the latest row, `row` its copy to get its id. */
  awaitRow(row: LogRow, resolve: Waiter["resolve"], reject: Waiter["reject"]): void {
    this.waiters.push({ index: this.rows - 1, row, resolve, reject });
  }

  /**
   * A new waiter for the commit of the latest row, for callers that only wait for the commit;
   * the rows of this kind appended right after it may share its promise ({@link lastWaiter}).
   */
  awaitCommit(): Promise<void> {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const shared = new Promise<void>((resolveShared, rejectShared) => {
      resolve = resolveShared;
      reject = rejectShared;
    });
    this.waiters.push({ index: this.rows - 1, row: null, resolve, reject, shared });
    return shared;
  }

  /** Drops the batch: its waiters are rejected with `error`. */
  fail(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error);
    this.clear();
  }

  /** Refuses rows and lineage from now on (what is buffered stays, for the last commit). */
  close(): void {
    this.closed = true;
  }

  /** Starts the next batch; the arrays of this one stay with whoever took them. */
  clear(): void {
    this.buffer = [];
    this.rows = 0;
    this.waiters = [];
    this.lineage = [];
  }
}
