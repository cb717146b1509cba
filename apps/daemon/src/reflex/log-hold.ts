import type { TimeoutHost } from "./interval-timer.js";

/** How often held computes look again whether the log can be written. */
export const LOG_HOLD_RETRY_MS = 1_000;

const TIMER = "reflex:log-hold";
const LOG_TAG = "reflex";

export interface LogHoldDeps<T> {
  /** The log store's state: the error of the last failed commit, null while commits succeed. */
  log: { readonly commitError: Error | null };
  timers: TimeoutHost;
  daemonLog: { warn(tag: string, message: string): void; info(tag: string, message: string): void };
  /** Called for each held entry once the log can be written again. */
  resume(entry: T): void;
  retryMs?: number;
}

/**
 * Holds computes back while the log cannot be written (a full disk, a lock held for long): a
 * compute whose signal or error could not be recorded is not started. Held senses keep their
 * pending triggers, merged as ever, and start again once a commit succeeds; the condition is
 * logged once when it begins and once when it ends.
 *
 * States: `open` (the log commits) ⇄ `holding` (a commit failed; a timer checks every
 * `retryMs` whether the store's retries got through).
 */
export class LogHold<T> {
  private readonly held = new Set<T>();
  private holding = false;

  constructor(private readonly deps: LogHoldDeps<T>) {}

  /** How many entries wait for the log. */
  get size(): number {
    return this.held.size;
  }

  /** Whether `entry` must wait because the log cannot be written now (it is then held). */
  holds(entry: T): boolean {
    const error = this.deps.log.commitError;
    if (error === null) return false;
    this.held.add(entry);
    if (!this.holding) {
      this.holding = true;
      this.deps.daemonLog.warn(
        LOG_TAG,
        `the log cannot be written (${error.message}); computes are held until it can, ` +
          `their triggers kept and merged`,
      );
      this.arm();
    }
    return true;
  }

  /** Forgets every held entry and the timer (the scheduler stops). */
  stop(): void {
    this.deps.timers.clearTimeout(TIMER);
    this.held.clear();
    this.holding = false;
  }

  private arm(): void {
    this.deps.timers.setTimeout(TIMER, this.check, this.deps.retryMs ?? LOG_HOLD_RETRY_MS);
  }

  private readonly check = (): void => {
    if (!this.holding) return;
    if (this.deps.log.commitError !== null) {
      this.arm();
      return;
    }
    this.holding = false;
    const entries = [...this.held];
    this.held.clear();
    this.deps.daemonLog.info(
      LOG_TAG,
      `the log is written again; ${entries.length} held sense(s) resume`,
    );
    for (const entry of entries) this.deps.resume(entry);
  };
}
