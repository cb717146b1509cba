import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** Tuning of the background checkpoints. */
export interface WalCheckpointerOptions {
  /** Least time between two checkpoints. Default 20 ms. */
  intervalMs?: number;
  /** Commits between two wake-ups of the thread. Default 32 (some 150 WAL pages). */
  commitsPerCheckpoint?: number;
  /** Told when checkpoints start failing (once per run of failures) or the thread dies. */
  onError?: (error: Error) => void;
}

/** What the thread tells the parent: checkpoints started failing. */
interface ThreadReport {
  error: string;
  code?: string;
}

// Slots of the shared flags: commits seen by the parent, and "stop".
const COMMITS = 0;
const STOP = 1;
const STOP_GRACE_MS = 2_000;

// The thread's code: plain CommonJS run with `eval`, so it needs no file of its own in the
// tsc output, the CLI bundle or under Vitest. It sleeps on the shared flags (no timer, no CPU
// while nothing is committed), checkpoints after a commit, then waits `intervalMs` at least.
const THREAD_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.driver);
const flags = new Int32Array(workerData.flags);
const db = new Database(workerData.file, { fileMustExist: true });
// From 0: commits made while the thread started count too.
let seen = 0;
let failing = false;
try {
  while (Atomics.load(flags, ${STOP}) === 0) {
    Atomics.wait(flags, ${COMMITS}, seen);
    if (Atomics.load(flags, ${STOP}) !== 0) break;
    seen = Atomics.load(flags, ${COMMITS});
    try {
      db.pragma("wal_checkpoint(PASSIVE)");
      failing = false;
    } catch (error) {
      if (!failing) parentPort.postMessage({ error: String(error && error.message), code: error && error.code });
      failing = true;
    }
    Atomics.wait(flags, ${STOP}, 0, workerData.intervalMs);
  }
} finally {
  db.close();
}
`;

/**
 * Checkpoints a WAL database from a thread of its own, so the connection that commits never
 * waits for a checkpoint's fsyncs.
 *
 * With `synchronous=NORMAL` a commit only appends to the WAL; the fsyncs happen when a
 * checkpoint copies the WAL back into the database — by default inside the commit that pushes
 * the WAL past 1,000 pages, on the committing thread: on a busy log that is about a third of
 * the time the daemon spends in SQLite (`npm run bench -- signal`). Here a second connection
 * runs PASSIVE checkpoints (they never block readers or writers), woken every
 * `commitsPerCheckpoint` commits and at most every `intervalMs`; the committing connection keeps
 * its own automatic checkpoint, larger, as the backstop that lets the WAL start over. The thread
 * sleeps (no timer, no CPU) while few commits are made.
 *
 * Lifecycle: `start` → `notify()` after commits → `stop()`. A thread that cannot open the
 * database or dies is reported once to `onError`; the committing connection's own checkpoints
 * then carry on alone.
 */
export class WalCheckpointer {
  private readonly exited: Promise<void>;
  private stopping: Promise<void> | null = null;
  private unnotified = 0;

  private constructor(
    private readonly worker: Worker | null,
    private readonly flags: Int32Array,
    private readonly onError: (error: Error) => void,
    private readonly commitsPerCheckpoint = 1,
  ) {
    this.exited =
      worker === null
        ? Promise.resolve()
        : new Promise((resolve) => worker.once("exit", () => resolve()));
  }

  /** A checkpointer that does nothing: the committing connection checkpoints by itself. */
  static none(): WalCheckpointer {
    return new WalCheckpointer(null, new Int32Array(new SharedArrayBuffer(8)), () => undefined);
  }

  /** Whether a thread checkpoints (false for {@link WalCheckpointer.none}). */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /** Starts checkpointing the WAL of the database `file` (which must exist, in WAL mode). */
  static start(file: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
    const onError = options.onError ?? ((error) => process.emitWarning(error));
    const flags = new SharedArrayBuffer(8);
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        file,
        flags,
        intervalMs: options.intervalMs ?? 20,
        driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      },
      // Its own small heap: the thread holds one connection and a loop.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
      stdout: false,
      stderr: false,
    });
    const checkpointer = new WalCheckpointer(
      worker,
      new Int32Array(flags),
      onError,
      options.commitsPerCheckpoint ?? 32,
    );
    worker.unref();
    worker.on("message", (report: ThreadReport) => checkpointer.report(file, report));
    worker.on("error", (error) =>
      onError(new Error(`the WAL checkpoint thread of ${file} failed: ${error.message}`)),
    );
    return checkpointer;
  }

  /**
   * Counts a commit that appended to the WAL; every `commitsPerCheckpoint`-th wakes the thread.
   * A light load leaves the thread asleep: the committing connection's own checkpoint, rare
   * then, is enough.
   */
  notify(): void {
    this.unnotified += 1;
    if (this.unnotified < this.commitsPerCheckpoint) return;
    this.unnotified = 0;
    Atomics.add(this.flags, COMMITS, 1);
    Atomics.notify(this.flags, COMMITS);
  }

  /** Stops the thread and closes its connection. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    if (this.worker === null) return;
    const worker = this.worker;
    Atomics.store(this.flags, STOP, 1);
    Atomics.notify(this.flags, COMMITS);
    Atomics.notify(this.flags, STOP);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), STOP_GRACE_MS);
    });
    try {
      if ((await Promise.race([this.exited, late])) === "late") await worker.terminate();
    } finally {
      clearTimeout(timer);
    }
  }

  private report(file: string, report: ThreadReport): void {
    const code = report.code === undefined ? "" : ` (${report.code})`;
    this.onError(new Error(`checkpointing the WAL of ${file} failed${code}: ${report.error}`));
  }
}
