import type { Database as SqliteDatabase, Statement, Transaction } from "better-sqlite3";
import { LineageWriter } from "../lineage/lineage-writer.js";
import { ChainHeadReader, canonicalRow, chainHash } from "./log-chain.js";
import { SLOTS, type PendingBatch } from "./pending-batch.js";

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
 * The commit itself: writes a {@link PendingBatch} in one IMMEDIATE transaction — its compute
 * lineage, then its rows, each given its id and its hash in the chain, in multi-row INSERTs of
 * {@link ROWS_PER_INSERT} rows and the rest one by one — and fills in the ids of the rows that
 * callers wait for. It keeps the chain head of its last commit, so that a commit reads only the
 * last id unless another writer moved the head meanwhile.
 */
export class LogBatchWriter {
  private readonly insert: Statement;
  private readonly insertMany: Statement;
  /** The parameters of one multi-row INSERT, reused. */
  private readonly manyParams: (string | number | null)[] = [];
  private readonly head: ChainHeadReader;
  /** The chain head as of the last commit (re-read when another writer moved it). */
  private headId = -1;
  private headHash: string | null = null;
  private readonly lineageWriter: LineageWriter;
  private readonly transaction: Transaction<(batch: PendingBatch) => void>;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(INSERT_HEAD + ROW_VALUES);
    this.insertMany = db.prepare(
      INSERT_HEAD + Array<string>(ROWS_PER_INSERT).fill(ROW_VALUES).join(", "),
    );
    this.head = new ChainHeadReader(db);
    this.lineageWriter = new LineageWriter(db);
    this.transaction = db.transaction((batch: PendingBatch) => this.writeRows(batch));
  }

  /**
   * Commits `batch` (call only when no other transaction is open on the connection). On a
   * failure nothing is written and the error is thrown; the head is read again next time.
   */
  write(batch: PendingBatch): void {
    try {
      this.transaction.immediate(batch);
    } catch (error) {
      this.headId = -1;
      throw error;
    }
  }

  private writeRows(batch: PendingBatch): void {
    const { buffer, rows, waiters } = batch;
    this.lineageWriter.write(batch.lineage);
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
      if (prev !== null) prev = chainHash(prev, canonicalRow(id, ts, source, type, refId, payload));
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
  }
}
