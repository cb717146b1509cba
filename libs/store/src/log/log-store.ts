import { Injectable } from "@nestjs/common";
import type { LogQuery, LogReader, LogRow, NewLogRow } from "@nerve/core";
import type { Database as SqliteDatabase, Statement, Transaction } from "better-sqlite3";
import {
  InvalidLogRowError,
  LogCloseError,
  LogCommitError,
  LogStoreClosedError,
} from "../errors/log.error.js";
import type { ComputeLineage } from "../lineage/lineage-types.js";
import { LineageWriter } from "../lineage/lineage-writer.js";
import { StoreReader } from "../reader/store-reader.js";
import { ChainHeadReader, canonicalRow, chainHash } from "./log-chain.js";
import { JsonText, payloadText } from "./log-codec.js";
import { BUSY_TIMEOUT_MS, openLogDatabase } from "./open-log-db.js";

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

interface Waiter {
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

type CommitOutcome = "committed" | "deferred" | "failed";

// Five buffer slots per row: ts, source, type, ref_id, payload (one flat array, no per-row object).
const SLOTS = 5;
const INSERT_HEAD = "INSERT INTO log (id, ts, source, type, ref_id, payload, hash) VALUES ";
const ROW_VALUES = "(?, ?, ?, ?, ?, ?, ?)";
const COLUMNS = 7;
/**
 * Rows per statement of the multi-row INSERT. One statement per row costs a call into the
 * driver, a bind and a reset per row, which is what makes the hashing affordable: 32 rows a
 * statement write a batch about 1.5 µs a row faster (`node bench/run.mjs log-append`).
 */
export const ROWS_PER_INSERT = 32;

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
  private readonly insert: Statement;
  private readonly insertMany: Statement;
  /** The parameters of one multi-row INSERT, reused. */
  private readonly manyParams: (string | number | null)[] = [];
  private readonly head: ChainHeadReader;
  /** The chain head as of this store's last commit (re-read when another writer moved it). */
  private headId = -1;
  private headHash: string | null = null;
  private readonly lineageWriter: LineageWriter;
  private readonly insertBatch: Transaction<
    (buffer: unknown[], rows: number, waiters: Waiter[], lineage: ComputeLineage[]) => void
  >;
  private readonly batchSize: number;
  private readonly maxDelayMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly onError: (error: LogCommitError) => void;
  private readonly now: () => number;
  private readonly onCommit: (() => void) | undefined;
  private readonly commitListeners = new Set<() => void>();
  private buffer: (string | number | null)[] = [];
  private pending = 0;
  /** Compute lineage waiting for the next commit (it joins the log rows' transaction). */
  private lineage: ComputeLineage[] = [];
  private waiters: Waiter[] = [];
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
    this.onError = options.onError ?? ((error) => process.emitWarning(error));
    this.now = options.now ?? Date.now;
    this.onCommit = options.onCommit;
    this.reader = new StoreReader(db);
    this.insert = db.prepare(INSERT_HEAD + ROW_VALUES);
    this.insertMany = db.prepare(
      INSERT_HEAD + Array<string>(ROWS_PER_INSERT).fill(ROW_VALUES).join(", "),
    );
    this.head = new ChainHeadReader(db);
    this.lineageWriter = new LineageWriter(db);
    this.insertBatch = db.transaction(
      (buffer: unknown[], rows: number, waiters: Waiter[], lineage: ComputeLineage[]) => {
        this.lineageWriter.write(lineage);
        const { insert, insertMany } = this;
        const many = this.manyParams;
        many.length = 0;
        // Whole groups of ROWS_PER_INSERT rows go in one statement, the rest one by one.
        const grouped = rows - (rows % ROWS_PER_INSERT);
        // Ids are given here, not by SQLite, because each row's hash covers its id. Inside the
        // write lock, so another writer (the CLI) cannot take the same id or fork the chain.
        const lastId = this.head.lastId();
        if (lastId !== this.headId || this.headHash === null) {
          const head = this.head.read(lastId);
          this.headId = head.id;
          this.headHash = head.hash;
        }
        let prev = this.headHash;
        let w = 0;
        let next = waiters.length > 0 ? waiters[0].index : -1;
        for (let i = 0, k = 0; i < rows; i += 1, k += SLOTS) {
          const id = lastId + 1 + i;
          const ts = buffer[k] as number;
          const source = buffer[k + 1] as string;
          const type = buffer[k + 2] as string;
          const refId = buffer[k + 3] as string | null;
          const payload = buffer[k + 4] as string | null;
          // Rows made before the chain still wait for their hash (chainPendingRows): these wait too.
          if (prev !== null)
            prev = chainHash(prev, canonicalRow(id, ts, source, type, refId, payload));
          if (i < grouped) {
            many.push(id, ts, source, type, refId, payload, prev);
            if (many.length === ROWS_PER_INSERT * COLUMNS) {
              insertMany.run(many);
              many.length = 0;
            }
          } else {
            insert.run(id, ts, source, type, refId, payload, prev);
          }
          if (i === next) {
            const row = waiters[w].row;
            if (row !== null) row.id = id;
            w += 1;
            next = w < waiters.length ? waiters[w].index : -1;
          }
        }
        this.headId = lastId + rows;
        this.headHash = prev;
      },
    );
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
    if (this.closing !== null) throw new LogStoreClosedError(this.db.name);
    this.lineage.push(record);
    if (this.timer === null && this.retryTimer === null && this.immediate === null) {
      this.timer = setTimeout(this.onTimer, this.maxDelayMs);
    }
  }

  /** Rows buffered and not yet committed. */
  get pendingRows(): number {
    return this.pending;
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
    this.enqueue(row);
    if (this.pending >= this.batchSize) {
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
      const ts = this.enqueue(row);
      const stored: LogRow = {
        id: 0,
        ts,
        source: row.source,
        type: row.type,
        refId: row.refId ?? null,
        payload: payload ?? null,
      };
      this.await({ index: this.pending - 1, row: stored, resolve, reject });
    }) as Promise<LogRow<P>>;
  }

  /**
   * {@link appendDurable} for a caller that only waits for the commit: resolves once the row is
   * committed, without building the row back (a signal, a workflow message).
   */
  appendCommitted(row: NewLogRow): Promise<void> {
    try {
      this.enqueue(row);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // Consecutive rows of this kind share one waiter and one promise: they are committed
    // together, and their callers' reactions still run in append order. A durable row appended
    // in between starts a new one, so every caller hears of its commit in append order.
    const last = this.waiters.length > 0 ? this.waiters[this.waiters.length - 1] : null;
    if (last?.shared !== undefined) return last.shared;
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const shared = new Promise<void>((resolveShared, rejectShared) => {
      resolve = resolveShared;
      reject = rejectShared;
    });
    this.await({ index: this.pending - 1, row: null, resolve, reject, shared });
    return shared;
  }

  /**
   * Commits every buffered row now.
   *
   * @throws LogCommitError if the commit fails (the rows stay buffered and are retried).
   */
  async flush(): Promise<void> {
    const deadline = Date.now() + BUSY_TIMEOUT_MS;
    while (this.pending > 0 || this.lineage.length > 0) {
      const outcome = this.commit();
      if (outcome === "committed") return;
      if (outcome === "failed") throw this.lastError!;
      // Another transaction is open on the shared handle: wait for it, within the busy timeout.
      if (Date.now() > deadline) {
        throw new LogCommitError(
          this.db.name,
          this.pending,
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
    this.commitListeners.add(listener);
    return () => {
      this.commitListeners.delete(listener);
    };
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
      const lost = new LogCloseError(this.db.name, this.pending, error);
      for (const waiter of this.waiters) waiter.reject(lost);
      this.waiters = [];
      this.buffer = [];
      this.pending = 0;
      this.lineage = [];
      throw lost;
    } finally {
      this.clearTimers();
      if (this.retryTimer !== null) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      if (this.ownsDb && this.db.open) this.db.close();
    }
  }

  private enqueue(row: NewLogRow): number {
    if (this.closing !== null) throw new LogStoreClosedError(this.db.name);
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
    this.pending += 1;
    return ts;
  }

  private await(waiter: Waiter): void {
    this.waiters.push(waiter);
    if (this.immediate === null && this.retryTimer === null) {
      this.immediate = setImmediate(this.onTimer);
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
    if (this.pending > 0 && this.retryTimer === null) this.commit();
  }

  private commit(): CommitOutcome {
    this.clearTimers();
    if (this.pending === 0 && this.lineage.length === 0) return "committed";
    if (this.db.inTransaction) {
      this.timer = setTimeout(this.onTimer, 1);
      return "deferred";
    }
    const rows = this.pending;
    const buffer = this.buffer;
    const waiters = this.waiters;
    const lineage = this.lineage;
    try {
      this.insertBatch.immediate(buffer, rows, waiters, lineage);
    } catch (error) {
      this.headId = -1; // rolled back: the head is read again at the next commit
      this.failures += 1;
      this.lastError = new LogCommitError(this.db.name, rows, this.failures, error);
      if (this.retryTimer !== null) clearTimeout(this.retryTimer);
      const delay = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** (this.failures - 1));
      this.retryTimer = setTimeout(this.onRetry, delay);
      this.report(this.lastError);
      return "failed";
    }
    this.buffer = [];
    this.pending = 0;
    this.waiters = [];
    this.lineage = [];
    this.failures = 0;
    this.lastError = null;
    // A flush may have succeeded during a backoff: go back to the normal timer at once.
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.onCommit?.();
    for (const listener of this.commitListeners) {
      try {
        listener();
      } catch {
        // A listener is told, never trusted: the commit has happened whatever it does.
      }
    }
    for (const waiter of waiters) waiter.resolve(waiter.row);
    return "committed";
  }

  private report(error: LogCommitError): void {
    try {
      this.onError(error);
    } catch {
      // A failing error handler must not stop the retries.
    }
  }

  private clearTimers(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
