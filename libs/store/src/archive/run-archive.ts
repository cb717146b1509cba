import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { RUN_TRANSITIONS, isFinalRunStatus, type RunStatus } from "@nerve/core";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { InvalidQueryError } from "../errors/store.error.js";
import { storePaths } from "../paths.js";
import { acquireArchiveLock } from "./archive-lock.js";
import { ensureDurableDir, removeLeftoverTempFiles, writeDayFileDurable } from "./day-file.js";
import { DAY_MS, utcDay } from "./archive-file.js";
import { RUN_ROW_COLUMNS, readRunLines, runLine, type StoredRunRow } from "./run-archive-file.js";

export interface RunArchiveOptions {
  /**
   * Terminal runs that ended before `now - olderThanMs`, rounded down to a UTC day (the cutoff
   * of LogArchive for the same duration, so a run leaves with its messages), are archived.
   */
  olderThanMs: number;
  /** Default `Date.now()`. */
  now?: number;
}

/** Seams to inject a crash at the worst moments in tests. */
export interface RunArchiveHooks {
  /** After the day's file is durable, before any of its runs is deleted. */
  afterFileDurable?: (day: string) => void;
}

export interface RunArchiveResult {
  /** Runs deleted from the database by this run (all of them in a durable day file). */
  runs: number;
  /** The day files written, oldest day first. */
  files: string[];
}

/** The statuses a run never leaves (see RUN_TRANSITIONS): only these runs are archived. */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = (
  Object.keys(RUN_TRANSITIONS) as RunStatus[]
).filter(isFinalRunStatus);

const PAGE_ROWS = 2_000;
const DELETE_CHUNK = 500;

/**
 * Moves the `workflow_runs` rows of terminal runs that ended long ago into
 * `data/archive/runs/YYYY-MM-DD.jsonl` (the UTC day of `created_at`; one JSON object per run,
 * `runId` first). The discipline is LogArchive's: for each day the file is written to a temp
 * file with what it held before plus the day's runs not in it yet, fsynced, renamed, the
 * directory fsynced; only then are exactly the runs now in the file deleted from the database,
 * in small transactions. So a crash at any point, and any rerun, leaves every run exactly once
 * across database and archive (a run both in the file and still in the database, after a crash
 * between the two steps, is deleted by the next run and not written twice).
 *
 * Safe beside a running daemon: a terminal run is never written again, rows are read in pages
 * and deleted a few hundred at a time, yielding in between. It holds the workspace's archive
 * lock (see acquireArchiveLock), so it never interleaves with a log archive. Light: no TypeORM,
 * no Nest.
 */
export class RunArchive {
  readonly dir: string;

  /**
   * @param db a writable handle on `data/logs.db` (see openLogDatabase), owned by the caller
   * @param root the workspace root
   */
  constructor(
    private readonly db: SqliteDatabase,
    root: string,
    private readonly hooks: RunArchiveHooks = {},
  ) {
    this.dir = storePaths(root).runArchive;
  }

  async archive(options: RunArchiveOptions): Promise<RunArchiveResult> {
    const { olderThanMs } = options;
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) {
      throw new InvalidQueryError(
        `run archive: olderThanMs must be a duration in ms >= 0, got ${olderThanMs}`,
      );
    }
    const now = options.now ?? Date.now();
    const cutoff = Math.floor((now - olderThanMs) / DAY_MS) * DAY_MS;
    ensureDurableDir(this.dir);
    const release = acquireArchiveLock(this.db, now);
    try {
      removeLeftoverTempFiles(this.dir);
      const result: RunArchiveResult = { runs: 0, files: [] };
      for (const start of this.daysBefore(cutoff)) {
        const day = utcDay(start);
        const ids = await this.writeDay(day, start, cutoff);
        await this.deleteRuns(ids);
        result.runs += ids.length;
        result.files.push(this.fileOf(day));
      }
      return result;
    } finally {
      release();
    }
  }

  /** The runs archive file of a day (`YYYY-MM-DD`). */
  fileOf(day: string): string {
    return join(this.dir, `${day}.jsonl`);
  }

  /** Start of every UTC day of creation of a run to archive, oldest first (index seeks). */
  private daysBefore(cutoff: number): number[] {
    // Per status, in index order, so each seek stops at the first run that ended in time.
    // created_at < cutoff too: a run ends after it is created, and it bounds the seek.
    const first = this.db
      .prepare(
        "SELECT created_at FROM workflow_runs WHERE status = ? AND created_at >= ? " +
          "AND created_at < ? AND ended_at < ? ORDER BY created_at LIMIT 1",
      )
      .pluck();
    const next = (from: number): number | null => {
      let min: number | null = null;
      for (const status of FINAL_RUN_STATUSES) {
        const ts = first.get(status, from, cutoff, cutoff) as number | undefined;
        if (ts !== undefined && (min === null || ts < min)) min = ts;
      }
      return min;
    };
    const starts: number[] = [];
    let ts = next(Number.MIN_SAFE_INTEGER);
    while (ts !== null) {
      const start = Math.floor(ts / DAY_MS) * DAY_MS;
      starts.push(start);
      ts = next(start + DAY_MS);
    }
    return starts;
  }

  /**
   * Makes the day's file durable with every run of the day to archive.
   *
   * @returns the ids of those runs, all of them now in the file.
   */
  private async writeDay(day: string, start: number, cutoff: number): Promise<string[]> {
    const file = this.fileOf(day);
    const archived = new Set<string>();
    const ids: string[] = [];
    await writeDayFileDurable(day, file, async (write) => {
      await readRunLines(file, async (line, runId) => {
        archived.add(runId);
        await write(line);
      });
      let added = 0;
      for (const rows of this.pages(start, Math.min(start + DAY_MS, cutoff), cutoff)) {
        let chunk = "";
        for (const row of rows) {
          ids.push(row.runId);
          if (archived.has(row.runId)) continue;
          chunk += runLine(row);
          added += 1;
        }
        if (chunk !== "") await write(chunk);
        await nextTurn();
      }
      return added > 0;
    });
    this.hooks.afterFileDurable?.(day);
    return ids;
  }

  /** The day's runs to archive, a page at a time, in (created_at, rowid) order per status. */
  private *pages(from: number, to: number, cutoff: number): Generator<StoredRunRow[]> {
    const page = this.db.prepare(
      `SELECT rowid AS rid, ${RUN_ROW_COLUMNS} FROM workflow_runs WHERE status = ? ` +
        "AND created_at >= ? AND created_at < ? AND ended_at < ? " +
        "AND (created_at, rowid) > (?, ?) ORDER BY created_at, rowid LIMIT ?",
    );
    for (const status of FINAL_RUN_STATUSES) {
      let after = { createdAt: Number.MIN_SAFE_INTEGER, rid: 0 };
      for (;;) {
        // The lower bound moves with the page, so each page is an index seek, not a rescan.
        const lower = Math.max(from, after.createdAt);
        const rows = page.all(
          status,
          lower,
          to,
          cutoff,
          after.createdAt,
          after.rid,
          PAGE_ROWS,
        ) as (StoredRunRow & { rid: number })[];
        if (rows.length === 0) break;
        const last = rows[rows.length - 1];
        after = { createdAt: last.createdAt, rid: last.rid };
        yield rows.map(({ rid: _rid, ...row }) => row);
      }
    }
  }

  /** Deletes exactly `ids` (all durable in their day's file), in small transactions. */
  private async deleteRuns(ids: readonly string[]): Promise<void> {
    const remove = this.db.prepare("DELETE FROM workflow_runs WHERE run_id = ?");
    const deleteChunk = this.db.transaction((chunk: readonly string[]) => {
      for (const id of chunk) remove.run(id);
    });
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      deleteChunk.immediate(ids.slice(i, i + DELETE_CHUNK));
      await nextTurn();
    }
  }
}
