import { existsSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { InvalidQueryError } from "../errors/store.error.js";
import { LOG_HEAD_KEY, chainPendingRows } from "../log/log-chain.js";
import { ARCHIVE_MARKER_TABLE, UPSERT_META_SQL } from "../log/schema.js";
import { storePaths } from "../paths.js";
import { acquireArchiveLock } from "./archive-lock.js";
import { ensureDurableDir, removeLeftoverTempFiles, writeDayFileDurable } from "./day-file.js";
import {
  DAY_MS,
  SummaryBuilder,
  archiveLine,
  readArchiveRows,
  utcDay,
  type ArchivedRow,
} from "./archive-file.js";

export interface ArchiveOptions {
  /** Rows of every whole UTC day before `now - olderThanMs` (rounded down to a day) are archived. */
  olderThanMs: number;
  /** Default `Date.now()`. */
  now?: number;
  /** VACUUM the database afterwards, to give the freed pages back to the file system. */
  vacuum?: boolean;
  /** Called after each day's file is durable and after its rows are deleted (the CLI's progress line). */
  onProgress?: (progress: ArchiveProgress) => void;
}

export interface ArchiveProgress {
  day: string;
  /** 1-based position of the day in this run. */
  index: number;
  /** Days this run archives. */
  total: number;
  phase: "written" | "deleted";
  /** Rows of the day taken out of the database. */
  rows: number;
}

/** Seams to inject a crash at the worst moments in tests. */
export interface ArchiveHooks {
  /** After the day's file is durable, before any of its rows is deleted. */
  afterFileDurable?: (day: string) => void;
}

/** `nerve store archive --json`: one entry per day archived by this run. */
export interface ArchiveResult {
  /** `rows`: the day's rows moved out of the database by this run; `file`: its archive file. */
  days: { day: string; rows: number; file: string }[];
  /** Rows deleted from the database in total. */
  deleted: number;
  vacuumed: boolean;
}

/** Meta keys the archive writes: the last day archived and when the last run ended. */
export const ARCHIVE_LAST_DAY_KEY = "archive.last_day";
export const ARCHIVE_LAST_RUN_KEY = "archive.last_run_at";

const PAGE_ROWS = 1_000;
const DELETE_CHUNK = 500;

/**
 * Moves whole UTC days of the log into `data/archive/logs/YYYY-MM-DD.jsonl`. For each day the
 * file is written to a temp file, fsynced, renamed and the directory fsynced; only then are
 * exactly the ids now in the file deleted from the database. If the day's file already exists
 * (a crash between writing and deleting, or rows with an old `ts` committed later) the rows
 * are merged: ids already in the file are not written again, and rows still in the database
 * are deleted. So every row is exactly once across database and archive whenever a run is
 * interrupted and however often it is rerun; a rerun with nothing to archive changes nothing.
 *
 * Safe beside a running daemon: rows are read in pages by id and deleted in small
 * transactions, so appends wait at most a few milliseconds; one archive runs at a time
 * (see acquireArchiveLock). Light: no TypeORM, no Nest.
 */
export class LogArchive {
  readonly dir: string;

  /**
   * @param db a writable handle on `data/logs.db` (see openLogDatabase), owned by the caller
   * @param root the workspace root
   */
  constructor(
    private readonly db: SqliteDatabase,
    root: string,
    private readonly hooks: ArchiveHooks = {},
  ) {
    this.dir = storePaths(root).archive;
  }

  async archive(options: ArchiveOptions): Promise<ArchiveResult> {
    const { olderThanMs, vacuum = false, onProgress } = options;
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) {
      throw new InvalidQueryError(
        `archive: olderThanMs must be a duration in ms >= 0, got ${olderThanMs}`,
      );
    }
    const now = options.now ?? Date.now();
    const cutoff = Math.floor((now - olderThanMs) / DAY_MS) * DAY_MS;
    ensureDurableDir(this.dir);
    const release = acquireArchiveLock(this.db, now);
    try {
      removeLeftoverTempFiles(this.dir);
      // Every line carries its row's hash: chain rows still without one first.
      await chainPendingRows(this.db);
      const starts = this.daysBefore(cutoff);
      const result: ArchiveResult = { days: [], deleted: 0, vacuumed: false };
      for (const [i, start] of starts.entries()) {
        const day = utcDay(start);
        const progress = { day, index: i + 1, total: starts.length };
        const ids = await this.writeDay(day, start, start + DAY_MS);
        onProgress?.({ ...progress, phase: "written", rows: ids.length });
        await this.deleteDay(day, ids);
        onProgress?.({ ...progress, phase: "deleted", rows: ids.length });
        result.days.push({ day, rows: ids.length, file: this.fileOf(day) });
        result.deleted += ids.length;
      }
      this.db.prepare(UPSERT_META_SQL).run(ARCHIVE_LAST_RUN_KEY, String(now));
      if (vacuum) {
        // Also switches an older file to incremental auto-vacuum on the way.
        this.db.pragma("auto_vacuum = INCREMENTAL");
        this.db.exec("VACUUM");
        result.vacuumed = true;
      }
      return result;
    } finally {
      release();
    }
  }

  /** The archive file of a day (`YYYY-MM-DD`). */
  fileOf(day: string): string {
    return join(this.dir, `${day}.jsonl`);
  }

  /** Start of every UTC day before `cutoff` that has rows, oldest first (index seeks only). */
  private daysBefore(cutoff: number): number[] {
    const next = this.db.prepare("SELECT min(ts) FROM log WHERE ts >= ? AND ts < ?").pluck();
    const starts: number[] = [];
    let ts = next.get(Number.MIN_SAFE_INTEGER, cutoff) as number | null;
    while (ts !== null) {
      const start = Math.floor(ts / DAY_MS) * DAY_MS;
      starts.push(start);
      ts = next.get(start + DAY_MS, cutoff) as number | null;
    }
    return starts;
  }

  /**
   * Makes the day's file durable with every row of the day now in the database.
   *
   * @returns the ids of the day read from the database, all of them now in the file.
   */
  private async writeDay(day: string, start: number, end: number): Promise<number[]> {
    const file = this.fileOf(day);
    const range = this.db
      .prepare("SELECT min(id) AS lo, max(id) AS hi FROM log WHERE ts >= ? AND ts < ?")
      .get(start, end) as { lo: number | null; hi: number | null };
    const { lo, hi } = range;
    if (lo === null || hi === null) return [];
    const archived = new Set<number>();
    const summary = new SummaryBuilder(day);
    // `+ts` keeps SQLite on the rowid range instead of the ts index, so pages come in id order.
    const page = this.db.prepare(
      "SELECT id, ts, source, type, ref_id AS refId, payload, hash FROM log " +
        "WHERE id > ? AND id <= ? AND +ts >= ? AND +ts < ? ORDER BY id LIMIT ?",
    );
    const ids: number[] = [];
    await writeDayFileDurable(day, file, async (write) => {
      if (existsSync(file)) {
        // The rows already archived, without the old summary line: the new one goes last.
        await readArchiveRows(file, async (line, id, hash) => {
          archived.add(id);
          summary.add(line, id, hash);
          await write(line);
        });
      }
      let added = 0;
      let after = lo - 1;
      for (;;) {
        const rows = page.all(after, hi, start, end, PAGE_ROWS) as ArchivedRow[];
        if (rows.length === 0) break;
        let chunk = "";
        for (const row of rows) {
          ids.push(row.id);
          if (archived.has(row.id)) continue;
          const line = archiveLine(row);
          summary.add(line, row.id, row.hash);
          chunk += line;
          added += 1;
        }
        if (chunk !== "") await write(chunk);
        after = rows[rows.length - 1].id;
        await nextTurn();
      }
      await write(summary.line());
      return added > 0;
    });
    this.hooks.afterFileDurable?.(day);
    return ids;
  }

  /** Deletes exactly `ids` (all durable in the day's file), in small transactions. */
  private async deleteDay(day: string, ids: readonly number[]): Promise<void> {
    const mark = this.db.prepare(`INSERT INTO ${ARCHIVE_MARKER_TABLE} (day) VALUES (?)`);
    const unmark = this.db.prepare(`DELETE FROM ${ARCHIVE_MARKER_TABLE}`);
    const remove = this.db.prepare("DELETE FROM log WHERE id = ?");
    const setMeta = this.db.prepare(UPSERT_META_SQL);
    const lastId = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log'").pluck();
    const hashOf = this.db.prepare("SELECT hash FROM log WHERE id = ?").pluck();
    // The marker exists only inside this transaction: the trigger on log lets these deletes
    // through, and no other connection ever sees it.
    const deleteChunk = this.db.transaction((chunk: readonly number[], last: boolean) => {
      mark.run(day);
      // The newest row leaving the database: keep its hash, the next append chains from it.
      const top = lastId.get() as number | undefined;
      if (top !== undefined && chunk.includes(top)) {
        const hash = hashOf.get(top) as string | null | undefined;
        if (typeof hash === "string") setMeta.run(LOG_HEAD_KEY, JSON.stringify({ id: top, hash }));
      }
      for (const id of chunk) remove.run(id);
      unmark.run();
      if (last) setMeta.run(ARCHIVE_LAST_DAY_KEY, day);
    });
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      const chunk = ids.slice(i, i + DELETE_CHUNK);
      deleteChunk.immediate(chunk, i + DELETE_CHUNK >= ids.length);
      await nextTurn();
    }
  }
}
