import { hash as sha256 } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database, { type Database as SqliteDatabase } from "better-sqlite3";
import { acquireArchiveLock } from "../archive/archive-lock.js";
import { reasonOf } from "../errors/store.error.js";
import { chainPendingRows } from "../log/log-chain.js";
import { storePaths } from "../paths.js";
import { ARCHIVE_PRUNED_KEY, parseAnchor } from "../retention/store-retention.js";
import { walkChain } from "./chain-walk.js";
import type { VerifyProblem, VerifyProgress, VerifyReport } from "./verify-types.js";

export interface VerifyOptions {
  /** Start at this archive day (`YYYY-MM-DD`) instead of the first one. */
  fromDay?: string;
  onProgress?: (progress: VerifyProgress) => void;
  /** Threads to check the database's rows on; default by their number and the cores, 0 for
   * none (all on the calling thread). */
  threads?: number;
}

const BLOB_REF = /"([0-9a-f]{64})"/g;
const HEX2 = /^[0-9a-f]{2}$/;
const HEX62 = /^[0-9a-f]{62}$/;

/**
 * `nerve store verify`: the log's hash chain through the archive and the database, the day
 * files' summaries, the blobs, and `PRAGMA integrity_check` of every sense database. Read-only
 * but for two things: rows still without a hash get theirs first, and the archive lock is held
 * meanwhile, so no archive run moves rows between the files and the database under the walk.
 * Appends go on while it runs; it checks the rows committed when it started.
 */
export class StoreVerifier {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly root: string,
  ) {}

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const paths = storePaths(this.root);
    const problems: VerifyProblem[] = [];
    const report = (problem: VerifyProblem): void => {
      problems.push(problem);
    };
    const release = acquireArchiveLock(this.db, Date.now());
    let walk;
    const referenced = new Set<string>();
    try {
      await chainPendingRows(this.db);
      const anchor = this.db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
      walk = await walkChain(this.db, paths.archive, report, {
        fromDay: options.fromDay,
        pruned: parseAnchor(anchor.get(ARCHIVE_PRUNED_KEY) as string | undefined),
        onProgress: options.onProgress,
        threads: options.threads,
        onPayload: (payload) => {
          if (payload.length < 66) return;
          for (const match of payload.matchAll(BLOB_REF)) referenced.add(match[1]);
        },
      });
    } finally {
      release();
    }
    options.onProgress?.({ phase: "blobs", rows: walk.rows.archive + walk.rows.db });
    const stored = this.checkBlobs(paths.blobs, report);
    options.onProgress?.({ phase: "sense-dbs", rows: walk.rows.archive + walk.rows.db });
    const senseDbs = this.checkSenseDbs(paths.senseDbs, report);
    return {
      ok: problems.length === 0,
      rows: walk.rows,
      days: walk.days,
      head: walk.head,
      blobs: {
        files: stored.size,
        referenced: [...referenced].filter((hash) => stored.has(hash)).length,
        missing: [...referenced].filter((hash) => !stored.has(hash)).sort(),
      },
      senseDbs,
      problems,
    };
  }

  /** Every file under `data/blobs/` must hash to its name. @returns the hashes stored. */
  private checkBlobs(dir: string, report: (problem: VerifyProblem) => void): Set<string> {
    const stored = new Set<string>();
    for (const prefix of listDir(dir)) {
      if (!HEX2.test(prefix)) continue;
      for (const rest of listDir(join(dir, prefix))) {
        if (!HEX62.test(rest)) continue;
        const name = prefix + rest;
        const file = join(dir, prefix, rest);
        const actual = sha256("sha256", readFileSync(file), "hex");
        stored.add(name);
        if (actual !== name) {
          report({
            kind: "blob",
            where: file,
            message: `blob ${name} was changed: its content no longer hashes to its name`,
            expected: name,
            found: actual,
          });
        }
      }
    }
    return stored;
  }

  private checkSenseDbs(
    dir: string,
    report: (problem: VerifyProblem) => void,
  ): { name: string; ok: boolean }[] {
    const results: { name: string; ok: boolean }[] = [];
    for (const file of listDir(dir)
      .filter((name) => name.endsWith(".db"))
      .sort()) {
      const name = file.slice(0, -".db".length);
      const path = join(dir, file);
      let messages: string[];
      try {
        const db = new Database(path, { readonly: true, fileMustExist: true });
        try {
          messages = db.pragma("integrity_check", { simple: false }) as string[];
          messages = (messages as unknown as { integrity_check: string }[]).map(
            (row) => row.integrity_check,
          );
        } finally {
          db.close();
        }
      } catch (error) {
        messages = [reasonOf(error)];
      }
      const ok = messages.length === 1 && messages[0] === "ok";
      if (!ok) {
        report({
          kind: "sense-db",
          where: path,
          message: `sense database ${name} fails PRAGMA integrity_check: ${messages.slice(0, 3).join("; ")}`,
        });
      }
      results.push({ name, ok });
    }
    return results;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
