import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { HASH_LENGTH, PACKED_PAGE_SQL, PAGE_ROWS, ROW_SEPARATOR } from "./db-rows.js";

/**
 * A page of database rows as a thread checked it: rows `lo`–`hi`, `count` of them; `ok` when
 * they follow on without a gap, each has its hash, each hash matches its row chained from
 * `firstPrev`, and no payload names a blob. `lastHash` is the stored hash of row `hi`.
 */
export interface CheckedPage {
  lo: number;
  hi: number;
  count: number;
  ok: boolean;
  firstPrev: string | null;
  lastHash: string | null;
}

export interface PageThreadsOptions {
  /** The hash the first row after `after` must chain from, if known (else its stored one). */
  prev: string | null;
  /** Leave pages whose payloads may name a blob to the walk (it collects their names). */
  blobs: boolean;
  /** Told of rows checked so far, now and then. */
  onProgress?: (rows: number) => void;
}

/** Fewer rows than this are checked on the calling thread (a thread costs some 30 ms to start). */
export const THREADED_MIN_ROWS = 100_000;
const MAX_THREADS = 4;
/** Pages between two progress messages of a thread. */
const PROGRESS_PAGES = 10;

/**
 * How many threads to check the pages of `rows` database rows with; 0 for none (the calling
 * thread does it). `wanted`, when given, is used as is (0 for none).
 */
export function pageThreadCount(rows: number, wanted?: number): number {
  if (wanted !== undefined) return rows > 0 ? Math.max(0, Math.floor(wanted)) : 0;
  if (rows < THREADED_MIN_ROWS) return 0;
  const threads = Math.min(MAX_THREADS, availableParallelism());
  return threads > 1 ? threads : 0;
}

// The thread's code: plain CommonJS run with `eval`, so it needs no file of its own in the tsc
// output, the CLI bundle or under Vitest. It checks the rows `from` < id <= `to` a packed page at
// a time, as ChainWalk.takePage does, on its own read-only connection, and posts one summary per
// page. A page's first row chains from the stored hash of the row before it (or `prev`), so
// the threads need nothing from each other; the walk checks that the pages join up.
const THREAD_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { hash } = require("node:crypto");
const Database = require(workerData.driver);
const { file, sql, from, to, pageRows, blobs, separator, hashLength, progressPages } = workerData;
const BLOB_NAME = /"[0-9a-f]{64}"/;
// Not opened read-only: such a connection reads a WAL database markedly slower here.
const db = new Database(file, { fileMustExist: true });
try {
  db.pragma("query_only = ON");
  const packed = db.prepare(sql).raw();
  const storedHash = db.prepare("SELECT hash FROM log WHERE id = ?").pluck();
  const before = db.prepare("SELECT hash FROM log WHERE id <= ? ORDER BY id DESC LIMIT 1").pluck();
  let prev = workerData.prev !== null ? workerData.prev : (before.get(from) ?? null);
  let after = from;
  const pages = [];
  let rows = 0;
  for (;;) {
    const [text, count, lo, hi] = packed.get(after, to, pageRows);
    if (count === 0 || lo === null) break;
    after = hi;
    const all = text === null ? "" : text;
    const parts = all === "" ? [] : all.split(separator);
    let ok = prev !== null && hi - lo + 1 === count && parts.length === count &&
      !(blobs && BLOB_NAME.test(all));
    let link = prev;
    if (ok) {
      for (const part of parts) {
        const stored = part.slice(0, hashLength);
        if (hash("sha256", link + part.slice(hashLength), "hex") !== stored) { ok = false; break; }
        link = stored;
      }
    }
    const lastHash = ok ? link : (storedHash.get(hi) ?? null);
    pages.push({ lo, hi, count, ok, firstPrev: prev, lastHash });
    prev = lastHash;
    rows += count;
    if (pages.length % progressPages === 0) parentPort.postMessage({ rows });
  }
  parentPort.postMessage({ pages });
} finally {
  db.close();
}
`;

/**
 * Checks the database rows `after` < id <= `maxId` of the log file `file` on `threads` threads,
 * each a contiguous range of ids on its own read-only connection, and resolves with every
 * page's summary in id order. Rejects if a thread fails; the caller then checks in-thread.
 */
export async function checkPagesInThreads(
  file: string,
  after: number,
  maxId: number,
  threads: number,
  options: PageThreadsOptions,
): Promise<CheckedPage[]> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const span = Math.ceil((maxId - after) / threads);
  const done: number[] = new Array<number>(threads).fill(0);
  const workers: Worker[] = [];
  const results: Promise<CheckedPage[]>[] = [];
  for (let t = 0; t < threads; t += 1) {
    const from = after + t * span;
    const to = Math.min(maxId, from + span);
    if (from >= to) break;
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        driver,
        file,
        sql: PACKED_PAGE_SQL,
        from,
        to,
        prev: t === 0 ? options.prev : null,
        pageRows: PAGE_ROWS,
        blobs: options.blobs,
        separator: ROW_SEPARATOR,
        hashLength: HASH_LENGTH,
        progressPages: PROGRESS_PAGES,
      },
      stdout: false,
      stderr: false,
    });
    workers.push(worker);
    results.push(
      new Promise<CheckedPage[]>((resolve, reject) => {
        let pages: CheckedPage[] | null = null;
        worker.on("message", (message: { rows?: number; pages?: CheckedPage[] }) => {
          if (message.pages !== undefined) pages = message.pages;
          else if (message.rows !== undefined) {
            done[t] = message.rows;
            options.onProgress?.(done.reduce((sum, rows) => sum + rows, 0));
          }
        });
        worker.once("error", reject);
        worker.once("exit", (code) => {
          if (pages !== null) resolve(pages);
          else reject(new Error(`a verify thread stopped with exit code ${code}`));
        });
      }),
    );
  }
  try {
    return (await Promise.all(results)).flat();
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
