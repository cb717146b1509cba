import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { DAY_MS, utcDay } from "../archive/archive-file.js";
import { acquireArchiveLock } from "../archive/archive-lock.js";
import { LogArchive, type ArchiveHooks } from "../archive/log-archive.js";
import { RunArchive } from "../archive/run-archive.js";
import { InvalidQueryError } from "../errors/store.error.js";
import { fsyncDir } from "../fs-durable.js";
import { pruneLineage } from "../lineage/lineage-prune.js";
import { UPSERT_META_SQL } from "../log/schema.js";
import { storePaths } from "../paths.js";
import {
  daySummaryOf,
  folderBytes,
  listArchivedDays,
  sizeOf,
  type ArchivedDay,
} from "./archive-days.js";

/** What the retention pass keeps (the compiled `store:` block of nerve.yaml). */
export interface RetentionPolicy {
  /** Whole UTC days older than this go to the archive. */
  archiveAfterMs: number;
  /** Archived days older than this are deleted; null: never. */
  deleteArchiveAfterMs: number | null;
  /** `logs.db` + the archive kept under this; null: no limit. */
  maxSizeBytes: number | null;
}

/** Why archived days were deleted. */
export type PruneReason = "age" | "size";

/** What one pass did; the daemon logs it as `store.archived` and `store.pruned` rows. */
export interface RetentionResult {
  /** Log rows and ended workflow runs moved to the archive. */
  archived: { days: string[]; rows: number; runs: number };
  /** Bytes `logs.db` gave back to the file system. */
  vacuumedBytes: number;
  pruned: { day: string; rows: number; bytes: number; reason: PruneReason }[];
  /** Computes whose lineage was deleted with the days pruned (see pruneLineage). */
  lineagePruned: number;
  /** `logs.db` + archive, before and after the pass. */
  bytesBefore: number;
  bytesAfter: number;
  /** `max_size` is set and the store is still above it (today's rows alone exceed it). */
  overLimit: boolean;
}

/** Seams to inject a crash at the worst moments in tests. */
export interface RetentionHooks extends ArchiveHooks {
  /** After each incremental_vacuum step. */
  afterVacuumStep?: () => void;
  /** After the prune anchor of a day is recorded, before its files are deleted. */
  beforeUnlink?: (day: string) => void;
}

/**
 * Meta key of the newest archived day deleted by retention: `{"day","lastId","lastHash"}`. The
 * chain of what is left starts from it: `nerve store verify` checks that the oldest row kept
 * links to `lastHash`, so a pruned archive is still a proof of everything after it.
 */
export const ARCHIVE_PRUNED_KEY = "archive.pruned";

/** Pages given back per `incremental_vacuum` step: a few ms of write lock each. */
const VACUUM_STEP_PAGES = 256;

/**
 * The retention pass: archive whole UTC days older than `archiveAfterMs` (LogArchive: durable
 * file first, then exactly those rows deleted), give the freed pages back to the file system
 * in small `incremental_vacuum` steps, delete archived days older than `deleteArchiveAfterMs`,
 * and keep `logs.db` + archive under `maxSizeBytes`, oldest archived days first (and, when the
 * archive is exhausted, archiving every whole day before today to delete it in turn). A row
 * only ever leaves the database through an archive file made durable before.
 */
export class StoreRetention {
  private readonly paths;
  private readonly archiveRoot: string;

  constructor(
    private readonly db: SqliteDatabase,
    root: string,
    private readonly hooks: RetentionHooks = {},
  ) {
    this.paths = storePaths(root);
    this.archiveRoot = dirname(this.paths.archive);
  }

  async run(policy: RetentionPolicy, now = Date.now()): Promise<RetentionResult> {
    checkPolicy(policy);
    const bytesBefore = this.storeBytes();
    const archiver = new LogArchive(this.db, this.paths.root, this.hooks);
    const archived = await archiver.archive({ olderThanMs: policy.archiveAfterMs, now });
    // Ended runs of those days follow their messages (`nerve workflow inspect` reads both).
    const runs = await new RunArchive(this.db, this.paths.root).archive({
      olderThanMs: policy.archiveAfterMs,
      now,
    });
    const result: RetentionResult = {
      archived: { days: archived.days.map((d) => d.day), rows: archived.deleted, runs: runs.runs },
      vacuumedBytes: await this.vacuum(),
      pruned: [],
      lineagePruned: 0,
      bytesBefore,
      bytesAfter: 0,
      overLimit: false,
    };
    if (policy.deleteArchiveAfterMs !== null) {
      const keepFrom = utcDay(now - policy.deleteArchiveAfterMs);
      for (const day of listArchivedDays(this.archiveRoot)) {
        if (day.day >= keepFrom) break;
        result.pruned.push(await this.prune(day, "age"));
      }
    }
    if (policy.maxSizeBytes !== null) {
      const max = policy.maxSizeBytes;
      await this.pruneToSize(max, result);
      if (this.storeBytes() > max) {
        // The archive alone could not make room: every whole day before today goes to it too.
        const more = await archiver.archive({ olderThanMs: now % DAY_MS, now });
        result.archived.days.push(...more.days.map((d) => d.day));
        result.archived.rows += more.deleted;
        result.vacuumedBytes += await this.vacuum();
        await this.pruneToSize(max, result);
      }
      result.overLimit = this.storeBytes() > max;
    }
    if (result.pruned.length > 0) {
      // The lineage of computes whose log rows are now gone (every day up to the newest pruned).
      const newest = result.pruned.reduce((a, b) => (a.day > b.day ? a : b)).day;
      result.lineagePruned = await pruneLineage(
        this.db,
        Date.parse(`${newest}T00:00:00Z`) + DAY_MS,
      );
    }
    result.bytesAfter = this.storeBytes();
    return result;
  }

  /**
   * `logs.db` plus every file of the archive. The WAL is left out: it is transient, bounded by
   * the checkpoints, and a checkpoint is what moves the vacuum's shrinking into `logs.db`.
   */
  storeBytes(): number {
    return sizeOf(this.paths.logDb) + folderBytes(this.archiveRoot);
  }

  private async pruneToSize(max: number, result: RetentionResult): Promise<void> {
    for (const day of listArchivedDays(this.archiveRoot)) {
      if (this.storeBytes() <= max) return;
      result.pruned.push(await this.prune(day, "size"));
    }
  }

  /** Gives free pages back in small steps, so appends between them never wait long. */
  private async vacuum(): Promise<number> {
    const pageSize = this.db.pragma("page_size", { simple: true }) as number;
    let freed = 0;
    for (;;) {
      const free = this.db.pragma("freelist_count", { simple: true }) as number;
      if (free === 0) break;
      this.db.pragma(`incremental_vacuum(${Math.min(free, VACUUM_STEP_PAGES)})`);
      const left = this.db.pragma("freelist_count", { simple: true }) as number;
      if (left >= free) break; // auto_vacuum is not incremental on this file: nothing to give.
      freed += (free - left) * pageSize;
      this.hooks.afterVacuumStep?.();
      await nextTurn();
    }
    // The file shrinks when the WAL is checkpointed; PASSIVE waits for no reader or writer.
    if (freed > 0) this.db.pragma("wal_checkpoint(PASSIVE)");
    return freed;
  }

  /**
   * Deletes one archived day's files. The chain's anchor moves to the day's last row first, so
   * a crash between the two leaves a file that verify and the next pass both know is gone.
   */
  private async prune(
    day: ArchivedDay,
    reason: PruneReason,
  ): Promise<RetentionResult["pruned"][number]> {
    const logFile = day.files.find((file) => file.startsWith(this.paths.archive));
    let rows = 0;
    const release = acquireArchiveLock(this.db, Date.now());
    try {
      if (logFile !== undefined) {
        const summary = await daySummaryOf(logFile);
        rows = summary.rows;
        const read = this.db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
        const anchor = parseAnchor(read.get(ARCHIVE_PRUNED_KEY) as string | undefined);
        if (anchor === null || summary.lastId > anchor.lastId) {
          this.db
            .prepare(UPSERT_META_SQL)
            .run(
              ARCHIVE_PRUNED_KEY,
              JSON.stringify({ day: day.day, lastId: summary.lastId, lastHash: summary.lastHash }),
            );
        }
      }
      this.hooks.beforeUnlink?.(day.day);
      for (const file of day.files) {
        rmSync(file, { force: true });
        fsyncDir(dirname(file));
      }
    } finally {
      release();
    }
    await nextTurn();
    return { day: day.day, rows, bytes: day.bytes, reason };
  }
}

/** The prune anchor: the last row of the newest deleted day. */
export interface PruneAnchor {
  day: string;
  lastId: number;
  lastHash: string | null;
}

/** The `archive.pruned` meta value, or null. */
export function parseAnchor(text: string | undefined): PruneAnchor | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(text) as Partial<PruneAnchor>;
    if (typeof value.day === "string" && typeof value.lastId === "number") {
      return {
        day: value.day,
        lastId: value.lastId,
        lastHash: typeof value.lastHash === "string" ? value.lastHash : null,
      };
    }
  } catch {
    // Unreadable: as if absent.
  }
  return null;
}

function checkPolicy(policy: RetentionPolicy): void {
  const positive = (value: number | null): boolean =>
    value === null || (Number.isFinite(value) && value > 0);
  if (!(Number.isFinite(policy.archiveAfterMs) && policy.archiveAfterMs >= 0)) {
    throw new InvalidQueryError(
      `retention: archiveAfterMs must be >= 0 ms, got ${policy.archiveAfterMs}`,
    );
  }
  if (!positive(policy.deleteArchiveAfterMs) || !positive(policy.maxSizeBytes)) {
    throw new InvalidQueryError(
      "retention: deleteArchiveAfterMs and maxSizeBytes must be null or greater than 0",
    );
  }
}
