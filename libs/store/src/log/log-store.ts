import { Injectable } from "@nestjs/common";
import type { LogQuery, LogReader, LogRow, NewLogRow } from "@nerve/core";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { LogCloseError, LogCommitError } from "../errors/log.error.js";
import type { ComputeLineage } from "../lineage/lineage-types.js";
import { StoreReader } from "../reader/store-reader.js";
import { CommitListeners } from "./commit-listeners.js";
import { LogBatchWriter } from "./log-batch-writer.js";
import { JsonText } from "./log-codec.js";
import { BUSY_TIMEOUT_MS, openLogDatabase } from "./open-log-db.js";
import type { LogStoreOptions } from "./log-store.options.js";
import { PendingBatch } from "./pending-batch.js";

export { ROWS_PER_INSERT } from "./log-batch-writer.js";
export type { LogStoreOptions } from "./log-store.options.js";

type CommitOutcome = "committed" | "deferred" | "failed";

/**
 * The append side of the immutable log, with group commit: rows are buffered and written in
 * one transaction with a prepared INSERT when `batchSize` rows are buffered or `maxDelayMs`
 * after the first one, whichever comes first, so a row is durable within a few milliseconds
 * while throughput stays near that of raw batched inserts. A caller that waits for its row
 * ({@link LogStore.appendDurable}, e.g. a workflow round) does not wait for that timer: its
 * commit runs on the next turn of the event loop and takes everything buffered until then.
 *
 * A failed commit (disk full, database locked) drops nothing: the rows stay buffered, the
 * failure goes to `onError`, and the commit is retried with exponential backoff.
 *
 * It works on a raw better-sqlite3 handle — in the daemon, TypeORM's own connection — and
 * commits only when no other transaction is open on that handle, so its rows never end up
 * inside someone else's transaction.
 *
 * Lifecycle: `open` → (`close()`) → `closed`; appends after `close()` throw.
 */
@Injectable()
export class LogStore implements LogReader {
  readonly reader: StoreReader;
  private readonly writer: LogBatchWriter;
  private readonly batchSize: number;
  private readonly maxDelayMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly listeners: CommitListeners;
  /** The rows, waiters and lineage of the next commit. */
  private readonly batch: PendingBatch;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private lastError: LogCommitError | null = null;
  private closing: Promise<void> | null = null;
  private ownsDb = false;

  /**
   * @param db a writable handle on `data/logs.db`, schema migrated; the caller keeps owning it
   *   unless the store was made by {@link LogStore.open}.
   */
  constructor(
    readonly db: SqliteDatabase,
    options: LogStoreOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 5;
    this.retryInitialMs = options.retryInitialMs ?? 50;
    this.retryMaxMs = options.retryMaxMs ?? 2_000;
    this.listeners = new CommitListeners(options);
    this.reader = new StoreReader(db);
    this.batch = new PendingBatch(db.name, options.now ?? Date.now);
    this.writer = new LogBatchWriter(db);
  }

  /** A store on its own connection to the workspace's `data/logs.db` (created if needed);
   * `close()` also closes that connection. */
  static open(root: string, options: LogStoreOptions = {}): LogStore {
    const store = new LogStore(openLogDatabase(root), options);
    store.ownsDb = true;
    return store;
  }

  /**
   * Records a compute's lineage (what triggered it, what it made); committed with the next
   * batch of log rows, so it lands together with the signal or error row of the same compute.
   *
   * @throws LogStoreClosedError after close().
   */
  recordCompute(record: ComputeLineage): void {
    this.batch.addLineage(record);
    if (this.timer === null && this.retryTimer === null && this.immediate === null) {
      this.timer = setTimeout(this.onTimer, this.maxDelayMs);
    }
  }

  /** Rows buffered and not yet committed. */
  get pendingRows(): number {
    return this.batch.rows;
  }

  /**
   * Why the last commit failed while its rows wait for their retry (a full disk, a lock held
   * too long), or null once a commit succeeds. Lets callers hold back work whose outcome could
   * not be recorded now.
   */
  get commitError(): LogCommitError | null {
    return this.lastError;
  }

  /**
   * Buffers a row; it is committed within `maxDelayMs` (or at once when the batch is full).
   * `payload` is stored as JSON text: pass a value, or a {@link JsonText} holding JSON already.
   *
   * @throws InvalidLogRowError, LogPayloadError for a malformed row; LogStoreClosedError after close().
   */
  append(row: NewLogRow): void {
    this.batch.add(row);
    if (this.batch.rows >= this.batchSize) {
      if (this.retryTimer === null) this.commit();
    } else if (this.timer === null && this.retryTimer === null) {
      this.timer = setTimeout(this.onTimer, this.maxDelayMs);
    }
  }

  /**
   * Appends a row and resolves with it (id assigned) once it is committed. The commit is
   * scheduled on the next turn of the event loop (`setImmediate`), not after `maxDelayMs`:
   * whoever awaits a row should not pay the batching delay. Rows appended meanwhile, plain or
   * durable, share that commit. While commits fail, the promise waits for the retry.
   */
  appendDurable<P>(row: NewLogRow<P>): Promise<LogRow<P>> {
    return new Promise<LogRow | null>((resolve, reject) => {
      const payload =
        row.payload instanceof JsonText ? (JSON.parse(row.payload.text) as unknown) : row.payload;
      const ts = this.batch.add(row);
      const stored: LogRow = {
        id: 0,
        ts,
        source: row.source,
        type: row.type,
        refId: row.refId ?? null,
        payload: payload ?? null,
      };
      this.batch.awaitRow(stored, resolve, reject);
      if (this.immediate === null && this.retryTimer === null) {
        this.immediate = setImmediate(this.onTimer);
      }
    }) as Promise<LogRow<P>>;
  }

  /**
   * {@link appendDurable} for a caller that only waits for the commit: resolves once the row is
   * committed, without building the row back (a signal, a workflow message).
   */
  appendCommitted(row: NewLogRow): Promise<void> {
    try {
      this.batch.add(row);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // Consecutive rows of this kind share one waiter and one promise: they are committed
    // together, and their callers' reactions still run in append order. A durable row appended
    // in between starts a new one, so every caller hears of its commit in append order.
    const shared = this.batch.lastWaiter?.shared;
    if (shared !== undefined) return shared;
    const committed = this.batch.awaitCommit();
    if (this.immediate === null && this.retryTimer === null) {
      this.immediate = setImmediate(this.onTimer);
    }
    return committed;
  }

  /**
   * Commits every buffered row now.
   *
   * @throws LogCommitError if the commit fails (the rows stay buffered and are retried).
   */
  async flush(): Promise<void> {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    while (!this.batch.empty) {
      const outcome = this.commit();
      if (outcome === "committed") return;
      if (outcome === "failed") throw this.lastError!;
      // Another transaction is open on the shared handle: wait for it, within the busy timeout.
      if (Date.now() > deadline) {
        throw new LogCommitError(
          this.db.name,
          this.batch.rows,
          this.failures + 1,
          new Error(`a transaction stayed open on the connection for ${BUSY_TIMEOUT_MS} ms`),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /**
   * Flushes and stops: later appends throw. Closes the connection only if {@link LogStore.open}
   * opened it. Idempotent.
   *
   * @throws LogCloseError if buffered rows could not be committed (they are then lost).
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    this.batch.close();
    return this.closing;
  }

  /** Log rows matching the filters, newest first by default (buffered rows committed first). */
  query(q: LogQuery = {}): LogRow[] {
    this.commitIfIdle();
    return this.reader.query(q);
  }

  /**
   * Calls `listener` after every commit (rows are readable then), until the returned function is
   * called. For readers that follow the log as it grows, such as the dashboard's live view.
   */
  onCommitted(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  /** How many log rows match the filters (buffered rows committed first). */
  count(q: LogQuery = {}): number {
    this.commitIfIdle();
    return this.reader.count(q);
  }

  private async shutdown(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      const lost = new LogCloseError(this.db.name, this.batch.rows, error);
      this.batch.fail(lost);
      throw lost;
    } finally {
      this.clearTimers();
      if (this.retryTimer !== null) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      if (this.ownsDb && this.db.open) this.db.close();
    }
  }

  private readonly onTimer = (): void => {
    this.commit();
  };

  private readonly onRetry = (): void => {
    this.retryTimer = null;
    this.commit();
  };

  private commitIfIdle(): void {
    if (this.batch.rows > 0 && this.retryTimer === null) this.commit();
  }

  private commit(): CommitOutcome {
    this.clearTimers();
    const batch = this.batch;
    if (batch.empty) return "committed";
    if (this.db.inTransaction) {
      this.timer = setTimeout(this.onTimer, 1);
      return "deferred";
    }
    const rows = batch.rows;
    const waiters = batch.waiters;
    try {
      this.writer.write(batch);
    } catch (error) {
      this.failures += 1;
      this.lastError = new LogCommitError(this.db.name, rows, this.failures, error);
      if (this.retryTimer !== null) clearTimeout(this.retryTimer);
      const delay = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** (this.failures - 1));
      this.retryTimer = setTimeout(this.onRetry, delay);
      this.listeners.failed(this.lastError);
      return "failed";
    }
    batch.clear();
    this.failures = 0;
    this.lastError = null;
    // A flush may have succeeded during a backoff: go back to the normal timer at once.
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.listeners.committed();
    for (const waiter of waiters) waiter.resolve(waiter.row);
    return "committed";
  }

  private clearTimers(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
