import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { GENESIS_HASH, canonicalRow, chainHash } from "../log/log-chain.js";
import { ArchiveSource, type WalkedRow } from "./archive-source.js";
import { DbRows, HASH_LENGTH, type PackedPage } from "./db-rows.js";
import { checkPagesInThreads, pageThreadCount, type CheckedPage } from "./page-threads.js";
import type { VerifyProblem, VerifyProgress } from "./verify-types.js";

/** How often (rows) progress is reported. */
const PROGRESS_EVERY = 50_000;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

interface Source {
  head: WalkedRow | null;
  next: () => WalkedRow | null;
}

export interface ChainWalkOptions {
  /** Only archive days from this one (`YYYY-MM-DD`) on; the first row's link is then trusted. */
  fromDay?: string;
  onProgress?: (progress: VerifyProgress) => void;
  /** Called for each row's payload text (the blob check collects hashes from it). */
  onPayload?: (payload: string) => void;
  /**
   * Where retention deleted the oldest archived days (meta `archive.pruned`): the walk starts
   * after its last row and checks that the first row kept links to its hash.
   */
  pruned?: PrunedAnchor | null;
  /** Threads to check the database's pages on; default by the rows and cores (see
   * pageThreadCount), 0 for none. */
  threads?: number;
}

/** The last archived day retention deleted, and its last row. */
export interface PrunedAnchor {
  day: string;
  lastId: number;
  lastHash: string | null;
}

export interface ChainWalkResult {
  rows: { archive: number; db: number; legacy: number };
  days: number;
  head: { id: number; hash: string | null };
}

/** A quoted 64-hex string: a payload naming a blob. */
const BLOB_NAME = /"[0-9a-f]{64}"/;

/**
 * Walks every log row in id order, the archive day files and the database merged, and checks
 * each row's hash against its columns and the previous row's hash. A problem is reported once
 * where it starts: after a changed row the walk goes on from the hash stored in it, after
 * missing rows from the hash of the row that follows them.
 *
 * Once the archive files are done, the database is read a page at a time packed by SQLite
 * (see DbRows): a page whose rows follow on without a gap, each with its hash, all matching,
 * and no blob named, is taken whole; any other page is walked row by row as the archive is,
 * so what is reported does not depend on the path.
 */
export async function walkChain(
  db: SqliteDatabase,
  archiveDir: string,
  report: (problem: VerifyProblem) => void,
  options: ChainWalkOptions = {},
): Promise<ChainWalkResult> {
  const pruned = options.fromDay === undefined ? (options.pruned ?? null) : null;
  const files = dayFiles(archiveDir, options.fromDay).filter(
    (file) => pruned === null || dayOf(file) > pruned.day,
  );
  const walk = new ChainWalk(report, options, files.length, pruned);
  const sources: Source[] = files.map((file) => {
    const archive = new ArchiveSource(file, report);
    return { head: null, next: () => archive.next() };
  });
  const dbRows = new DbRows(db);
  sources.push({ head: null, next: () => dbRows.next() });
  for (const source of sources) source.head = source.next();
  const dbSource = sources[sources.length - 1];
  // Archive rows and database rows merged, while an archive file has rows left.
  while (sources.some((source) => source !== dbSource && source.head !== null)) {
    const source = lowest(sources)!;
    const row = source.head!;
    source.head = source.next();
    walk.visit(row);
  }
  // The rest of the page the database was being read from, then packed pages.
  if (dbSource.head !== null) walk.visit(dbSource.head);
  while (dbRows.buffered) walk.visit(dbRows.next()!);
  if (await walkThreaded(db, dbRows, walk, options)) return walk.result;
  for (;;) {
    while (dbRows.buffered) walk.visit(dbRows.next()!);
    const page = dbRows.nextPacked();
    if (page === null) break;
    if (!walk.takePage(page)) dbRows.unpack(page);
  }
  return walk.result;
}

/**
 * The packed pages of the database checked on threads (see checkPagesInThreads), then taken in
 * id order; a page a thread found wanting, or that does not join the one before, is walked row
 * by row here. A big log only: a thread costs more to start than a few pages take.
 *
 * @returns false when no thread was used (too few rows, one core, or a thread failed and the
 *   threads were not asked for by number): the caller walks the rows itself.
 */
async function walkThreaded(
  db: SqliteDatabase,
  dbRows: DbRows,
  walk: ChainWalk,
  options: ChainWalkOptions,
): Promise<boolean> {
  const { after, maxId } = dbRows.remaining;
  const threads = pageThreadCount(maxId - after, options.threads);
  if (threads === 0 || db.memory) return false;
  let pages: CheckedPage[];
  try {
    const walked = walk.walked;
    pages = await checkPagesInThreads(db.name, after, maxId, threads, {
      prev: walk.prev,
      blobs: options.onPayload !== undefined,
      onProgress: (rows) => options.onProgress?.({ phase: "db", rows: walked + rows }),
    });
  } catch (error) {
    // Threads asked for by number must work; else the walk on this thread finds the same.
    if (options.threads !== undefined) throw error;
    return false;
  }
  for (const page of pages) {
    if (walk.takeChecked(page)) continue;
    dbRows.unpack(page);
    while (dbRows.buffered) walk.visit(dbRows.next()!);
  }
  return true;
}

/** The state of a walk: the previous row's hash and id, and what it counted. */
class ChainWalk {
  readonly result: ChainWalkResult;
  // With --from the chain before the first row is not read: its link is taken on trust.
  prev: string | null;
  private lastId = 0;
  /** Rows seen so far. */
  walked = 0;
  private chained = false;

  constructor(
    private readonly report: (problem: VerifyProblem) => void,
    private readonly options: ChainWalkOptions,
    days: number,
    private readonly pruned: PrunedAnchor | null,
  ) {
    this.prev = options.fromDay === undefined ? GENESIS_HASH : null;
    this.result = {
      rows: { archive: 0, db: 0, legacy: 0 },
      days,
      head: { id: 0, hash: GENESIS_HASH },
    };
    if (pruned !== null) {
      this.prev = pruned.lastHash;
      this.lastId = pruned.lastId;
      this.chained = true;
      this.result.head = { id: pruned.lastId, hash: pruned.lastHash };
    }
  }

  /**
   * Takes a packed page of database rows whole when nothing in it needs a closer look.
   *
   * @returns false when the page must be walked row by row instead (nothing was counted).
   */
  takePage(page: PackedPage): boolean {
    const { parts, count, lo, hi } = page;
    // Rows missing or without hash, a gap before the page, a row also archived, a blob to note.
    if (hi - lo + 1 !== count || parts.length !== count) return false;
    if (this.prev === null || ((this.walked > 0 || this.chained) && lo !== this.lastId + 1)) {
      return false;
    }
    if (this.options.onPayload !== undefined && BLOB_NAME.test(page.text)) return false;
    let prev = this.prev;
    for (const part of parts) {
      const hash = part.slice(0, HASH_LENGTH);
      if (chainHash(prev, part.slice(HASH_LENGTH)) !== hash) return false;
      prev = hash;
    }
    this.taken(lo, hi, count, prev);
    return true;
  }

  /**
   * Takes a page a thread checked when it was found whole and joins this walk: its first row
   * follows the last one taken and was chained from the same hash.
   *
   * @returns false when the page must be walked row by row instead (nothing was counted).
   */
  takeChecked(page: CheckedPage): boolean {
    const { lo, hi, count } = page;
    if (!page.ok || this.prev === null || page.firstPrev !== this.prev) return false;
    if ((this.walked > 0 || this.chained) && lo !== this.lastId + 1) return false;
    this.taken(lo, hi, count, page.lastHash!);
    return true;
  }

  private taken(lo: number, hi: number, count: number, last: string): void {
    const before = Math.floor(this.walked / PROGRESS_EVERY);
    this.walked += count;
    if (Math.floor(this.walked / PROGRESS_EVERY) !== before) {
      this.options.onProgress?.({ phase: "db", rows: this.walked });
    }
    this.result.rows.db += count;
    this.chained = true;
    this.prev = last;
    this.lastId = hi;
    this.result.head = { id: hi, hash: last };
  }

  /** Checks one row's link. */
  visit(row: WalkedRow): void {
    const { result, report } = this;
    this.walked += 1;
    if (this.walked % PROGRESS_EVERY === 0) {
      this.options.onProgress?.({ phase: row.fromArchive ? "archive" : "db", rows: this.walked });
    }
    // Its day was deleted by retention.
    if (this.pruned !== null && row.id <= this.pruned.lastId) return;
    if (row.payload !== null) this.options.onPayload?.(row.payload);
    if (row.id === this.lastId && this.walked > 1) {
      // In a day file and still in the database: a run stopped between the two (legal) —
      // unless the copies differ.
      if (row.hash !== result.head.hash) {
        report({
          kind: "row-duplicate",
          where: row.where,
          id: row.id,
          message: `row ${row.id} is twice, with different hashes`,
          expected: result.head.hash ?? "null",
          found: row.hash ?? "null",
        });
      }
      return;
    }
    if (row.fromArchive) result.rows.archive += 1;
    else result.rows.db += 1;
    if (row.hash === null) {
      if (row.fromArchive && !this.chained) {
        // Archived before the chain existed.
        result.rows.legacy += 1;
      } else {
        report({
          kind: "row-unchained",
          where: row.where,
          id: row.id,
          message: `row ${row.id} has no hash`,
        });
      }
      this.lastId = row.id;
      result.head = { id: row.id, hash: null };
      return;
    }
    const lastId = this.lastId;
    const gap = this.chained && row.id !== lastId + 1;
    if (this.prev !== null) {
      const computed = chainHash(
        this.prev,
        canonicalRow(row.id, row.ts, row.source, row.type, row.refId, row.payload),
      );
      if (computed !== row.hash) {
        report(
          gap
            ? {
                kind: "row-missing",
                where: row.where,
                id: row.id,
                message:
                  lastId + 1 === row.id - 1
                    ? `row ${lastId + 1} is missing (the chain goes from row ${lastId} to row ${row.id})`
                    : `rows ${lastId + 1}–${row.id - 1} are missing (the chain goes from row ${lastId} to row ${row.id})`,
              }
            : {
                kind: "row-changed",
                where: row.where,
                id: row.id,
                message: `row ${row.id} differs from what was hashed: its columns or its hash were changed`,
                expected: row.hash,
                found: computed,
              },
        );
      }
    }
    this.chained = true;
    this.prev = row.hash;
    this.lastId = row.id;
    result.head = { id: row.id, hash: row.hash };
  }
}

function lowest(sources: Source[]): Source | null {
  let best: Source | null = null;
  for (const source of sources) {
    if (source.head !== null && (best === null || source.head.id < best.head!.id)) best = source;
  }
  return best;
}

/** The day files of the archive, oldest day first (from `fromDay` on when given). */
export function dayFiles(dir: string, fromDay?: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .map((name) => DAY_FILE.exec(name)?.[1])
    .filter((day): day is string => day !== undefined && (fromDay === undefined || day >= fromDay))
    .sort()
    .map((day) => join(dir, `${day}.jsonl`));
}

function dayOf(file: string): string {
  return DAY_FILE.exec(basename(file))?.[1] ?? "";
}
