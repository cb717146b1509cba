/** First retry delay after a store write failed, doubled per failed round. */
export const STORE_RETRY_INITIAL_MS = 50;
/** Longest retry delay. */
export const STORE_RETRY_MAX_MS = 2_000;

/**
 * Whether `error` came from the database itself (SQLite: a full disk, an I/O error, a lock held
 * for too long) rather than from the run (an illegal transition, an unknown run): the first kind
 * goes away when the store can be written again, so the write is worth retrying.
 */
export function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

export interface StoreRetriesDeps {
  /** A write failed for the first time and is kept to be retried. */
  held(what: string, error: Error): void;
  /** A held write went through after `attempts` attempts. */
  done(what: string, attempts: number): void;
  /** A held write failed for a reason other than storage (the run moved on): it is dropped. */
  failed(what: string, error: Error): void;
  /** Every held write went through: work that waited for the store may go on. */
  drained(): void;
  initialMs?: number;
  maxMs?: number;
}

interface HeldWrite {
  what: string;
  write: () => void;
  attempts: number;
}

/**
 * Run-state writes that the store refused for a storage reason, kept and retried with backoff
 * until they go through: a run whose end could not be recorded while the disk was full is
 * recorded once space returns, instead of staying `started` until the next daemon.
 *
 * Writes are keyed: a newer write under the same key (the rounds of a run) replaces the one
 * held. Errors that are not storage errors are the caller's: {@link attempt} rethrows them.
 */
export class StoreRetries {
  private readonly held = new Map<string, HeldWrite>();
  private timer: NodeJS.Timeout | null = null;
  private failedRounds = 0;
  private stopped = false;

  constructor(private readonly deps: StoreRetriesDeps) {}

  /** How many writes wait for the store. */
  get size(): number {
    return this.held.size;
  }

  /** Whether a write is held under `key`. */
  has(key: string): boolean {
    return this.held.has(key);
  }

  /**
   * Runs `write` now, unless older writes wait (then it waits behind them). Returns whether it
   * went through; a storage error keeps it to be retried.
   *
   * @throws whatever `write` throws that is not a storage error.
   */
  attempt(key: string, what: string, write: () => void): boolean {
    const older = this.held.get(key);
    if (older !== undefined) {
      this.held.set(key, { what, write, attempts: older.attempts });
      return false;
    }
    if (this.held.size > 0) {
      this.held.set(key, { what, write, attempts: 0 });
      return false;
    }
    try {
      write();
      return true;
    } catch (error) {
      if (!isStorageError(error)) throw error;
      this.hold(key, { what, write, attempts: 1 }, error as Error);
      return false;
    }
  }

  /**
   * Tries every held write once, now (shutdown); returns what still could not be written.
   * Retries stop: a write that fails later is reported and dropped.
   */
  flush(): string[] {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.retry(false);
    const left = [...this.held.values()].map((entry) => entry.what);
    this.held.clear();
    return left;
  }

  private hold(key: string, entry: HeldWrite, error: Error): void {
    if (this.stopped) {
      this.deps.failed(entry.what, error);
      return;
    }
    this.held.set(key, entry);
    this.deps.held(entry.what, error);
    this.arm();
  }

  private arm(): void {
    if (this.timer !== null || this.stopped) return;
    const initial = this.deps.initialMs ?? STORE_RETRY_INITIAL_MS;
    const delay = Math.min(this.deps.maxMs ?? STORE_RETRY_MAX_MS, initial * 2 ** this.failedRounds);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.retry(true);
    }, delay);
    this.timer.unref();
  }

  /** Retries the held writes in the order they were held; stops at the first storage error. */
  private retry(rearm: boolean): void {
    for (const [key, entry] of [...this.held]) {
      if (this.held.get(key) !== entry) continue;
      entry.attempts++;
      let failure: Error | null = null;
      try {
        entry.write();
      } catch (error) {
        if (isStorageError(error)) {
          this.failedRounds++;
          if (rearm) this.arm();
          return;
        }
        failure = error as Error;
      }
      if (this.held.get(key) === entry) this.held.delete(key);
      if (failure !== null) this.deps.failed(entry.what, failure);
      else if (entry.attempts > 1) this.deps.done(entry.what, entry.attempts);
    }
    this.failedRounds = 0;
    if (rearm) this.deps.drained();
  }
}
