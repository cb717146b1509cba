import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Database, { type Database as SqliteDatabase, type Statement } from "better-sqlite3";
import { OutboxOpenError } from "../errors/outbox.error.js";
import { storePaths } from "../paths.js";

/** A signal of this daemon waiting to be published to the cluster's broker. */
export interface OutboxEntry {
  /** Position in the outbox: entries are published in this order. */
  seq: number;
  signalId: string;
  sense: string;
  ts: number;
  causeId: string | null;
  /** The signal's payload as JSON text. */
  payload: string;
}

export type NewOutboxEntry = Omit<OutboxEntry, "seq">;

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS "outbox" ("seq" integer PRIMARY KEY AUTOINCREMENT NOT NULL, ' +
    '"signal_id" text NOT NULL UNIQUE, "sense" text NOT NULL, "ts" integer NOT NULL, ' +
    '"cause_id" text, "payload" text NOT NULL)',
];
const COLUMNS = "seq, signal_id AS signalId, sense, ts, cause_id AS causeId, payload";

/** `data/federation.db` of the workspace at `root`. */
export function outboxPath(root: string): string {
  return join(storePaths(root).data, "federation.db");
}

/**
 * The durable outbox of the federation: each signal that is to leave this host is written here
 * (synchronously, before its log row is committed) and removed once the broker has stored it,
 * so a broker that is down, or a daemon killed in between, loses nothing. A database of its own
 * (`data/federation.db`, WAL), so it never contends with the log's group commit.
 *
 * Entries are read back in `seq` order. `add` ignores a signal id already present.
 */
export class SignalOutbox {
  private readonly insert: Statement;
  private readonly selectAfter: Statement;
  private readonly deleteUpTo: Statement;
  private readonly deleteOne: Statement;
  private readonly countAll: Statement;
  private readonly maxSeq: Statement;

  private constructor(readonly db: SqliteDatabase) {
    this.insert = db.prepare(
      "INSERT OR IGNORE INTO outbox (signal_id, sense, ts, cause_id, payload) VALUES (?, ?, ?, ?, ?)",
    );
    this.selectAfter = db.prepare(
      `SELECT ${COLUMNS} FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`,
    );
    this.deleteUpTo = db.prepare("DELETE FROM outbox WHERE seq <= ?");
    this.deleteOne = db.prepare("DELETE FROM outbox WHERE seq = ?");
    this.countAll = db.prepare("SELECT count(*) AS n FROM outbox");
    this.maxSeq = db.prepare("SELECT max(seq) AS seq FROM outbox");
  }

  /**
   * Opens (creating if needed) the outbox of the workspace at `root`.
   *
   * @throws OutboxOpenError when the file cannot be opened or is not a SQLite database.
   */
  static open(root: string): SignalOutbox {
    const file = outboxPath(root);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const db = new Database(file, { timeout: 5_000 });
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      for (const sql of SCHEMA) db.exec(sql);
      return new SignalOutbox(db);
    } catch (error) {
      throw new OutboxOpenError(file, error);
    }
  }

  /** Writes an entry; returns its seq, or null when the signal id is already in the outbox. */
  add(entry: NewOutboxEntry): number | null {
    const result = this.insert.run(
      entry.signalId,
      entry.sense,
      entry.ts,
      entry.causeId,
      entry.payload,
    );
    return result.changes === 0 ? null : Number(result.lastInsertRowid);
  }

  /** Up to `limit` entries after `afterSeq`, oldest first. */
  after(afterSeq: number, limit: number): OutboxEntry[] {
    return this.selectAfter.all(afterSeq, limit) as OutboxEntry[];
  }

  /** Removes every entry up to and including `seq` (they were published). */
  removeUpTo(seq: number): void {
    this.deleteUpTo.run(seq);
  }

  /** Removes one entry (its signal never reached the log). */
  remove(seq: number): void {
    this.deleteOne.run(seq);
  }

  /** Entries waiting. */
  size(): number {
    return (this.countAll.get() as { n: number }).n;
  }

  /** The seq of the newest entry, 0 when empty. */
  lastSeq(): number {
    return (this.maxSeq.get() as { seq: number | null }).seq ?? 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
