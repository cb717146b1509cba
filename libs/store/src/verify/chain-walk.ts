import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { Database as SqliteDatabase } from "better-sqlite3";
import { GENESIS_HASH, canonicalRow, chainHash } from "../log/log-chain.js";
import { ArchiveSource, type WalkedRow } from "./archive-source.js";
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
  pruned?: { day: string; lastId: number; lastHash: string | null } | null;
}

export interface ChainWalkResult {
  rows: { archive: number; db: number; legacy: number };
  days: number;
  head: { id: number; hash: string | null };
}

/**
 * Walks every log row in id order, the archive day files and the database merged, and checks
 * each row's hash against its columns and the previous row's hash. A problem is reported once
 * where it starts: after a changed row the walk goes on from the hash stored in it, after
 * missing rows from the hash of the row that follows them.
 */
export function walkChain(
  db: SqliteDatabase,
  archiveDir: string,
  report: (problem: VerifyProblem) => void,
  options: ChainWalkOptions = {},
): ChainWalkResult {
  const pruned = options.fromDay === undefined ? (options.pruned ?? null) : null;
  const files = dayFiles(archiveDir, options.fromDay).filter(
    (file) => pruned === null || dayOf(file) > pruned.day,
  );
  const sources: Source[] = files.map((file) => {
    const archive = new ArchiveSource(file, report);
    return { head: null, next: () => archive.next() };
  });
  const rows = db
    .prepare("SELECT id, ts, source, type, ref_id, payload, hash FROM log ORDER BY id")
    .raw()
    .iterate() as IterableIterator<
    [number, number, string, string, string | null, string | null, string | null]
  >;
  sources.push({
    head: null,
    next: () => {
      const step = rows.next();
      if (step.done === true) return null;
      const [id, ts, source, type, refId, payload, hash] = step.value;
      return { id, ts, source, type, refId, payload, hash, where: "logs.db", fromArchive: false };
    },
  });
  for (const source of sources) source.head = source.next();

  const result: ChainWalkResult = {
    rows: { archive: 0, db: 0, legacy: 0 },
    days: files.length,
    head: { id: 0, hash: GENESIS_HASH },
  };
  const onPayload = options.onPayload;
  // With --from the chain before the first row is not read: its link is taken on trust.
  let prev: string | null = options.fromDay === undefined ? GENESIS_HASH : null;
  let lastId = 0;
  let walked = 0;
  let chained = false;
  if (pruned !== null) {
    prev = pruned.lastHash;
    lastId = pruned.lastId;
    chained = true;
    result.head = { id: pruned.lastId, hash: pruned.lastHash };
  }
  for (;;) {
    const source = lowest(sources);
    if (source === null) break;
    const row = source.head!;
    source.head = source.next();
    walked += 1;
    if (walked % PROGRESS_EVERY === 0) {
      options.onProgress?.({ phase: row.fromArchive ? "archive" : "db", rows: walked });
    }
    if (pruned !== null && row.id <= pruned.lastId) continue; // its day was deleted by retention.
    if (row.payload !== null && onPayload !== undefined) onPayload(row.payload);
    if (row.id === lastId && walked > 1) {
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
      continue;
    }
    if (row.fromArchive) result.rows.archive += 1;
    else result.rows.db += 1;
    if (row.hash === null) {
      if (row.fromArchive && !chained) {
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
      lastId = row.id;
      result.head = { id: row.id, hash: null };
      continue;
    }
    const gap = chained && row.id !== lastId + 1;
    if (prev !== null) {
      const computed = chainHash(
        prev,
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
    chained = true;
    prev = row.hash;
    lastId = row.id;
    result.head = { id: row.id, hash: row.hash };
  }
  return result;
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
