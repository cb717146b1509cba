// Plain TypeScript, no Nest import: bench/interval-drift.bench.mjs loads the built file directly.

/** The longest delay setTimeout honours; beyond it Node fires at once (after 1 ms). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Named one-shot timers. In the daemon they live in @nestjs/schedule's SchedulerRegistry. */
export interface TimeoutHost {
  /** Arms `name` to call `callback` after `delayMs`, replacing a timer of that name. */
  setTimeout(name: string, callback: () => void, delayMs: number): void;
  /** Cancels `name`; nothing happens when it is not armed. */
  clearTimeout(name: string): void;
}

/** A TimeoutHost that can also arm a timer for an absolute moment (see DeadlineTimers). */
export interface AbsoluteTimeoutHost extends TimeoutHost {
  /** Arms `name` to call `callback` at epoch ms `at` (at once when it has passed). */
  setTimeoutAt(name: string, callback: () => void, at: number): void;
}

function isAbsolute(host: TimeoutHost): host is AbsoluteTimeoutHost {
  return typeof (host as Partial<AbsoluteTimeoutHost>).setTimeoutAt === "function";
}

/**
 * The index of the deadline an interval timer fires for next: the first deadline
 * `first + k·intervalMs` strictly after `now`, and never below `minIndex`. After a late
 * callback every deadline already passed is skipped, so a stalled event loop never causes a
 * burst of ticks.
 */
export function nextDeadlineIndex(
  first: number,
  intervalMs: number,
  now: number,
  minIndex: number,
): number {
  return Math.max(minIndex, Math.floor((now - first) / intervalMs) + 1);
}

export interface IntervalTimerOptions {
  /** Timer name in the host; one timer per name. */
  name: string;
  /** Epoch ms of the first tick (deadline 0). */
  first: number;
  /** Milliseconds between two deadlines, at least 1. */
  intervalMs: number;
  now: () => number;
  /** Where the timer is armed: for its deadline itself when the host takes absolute moments. */
  host: TimeoutHost | AbsoluteTimeoutHost;
  /** Called on each tick with the deadline it was due at. */
  onTick: (deadline: number) => void;
}

/**
 * A periodic timer scheduled from absolute deadlines (`first + k·interval`) instead of chained
 * relative delays, so the lateness of one callback never shifts the ones after it: over any
 * number of ticks the drift stays that of the last callback alone. Delays beyond
 * {@link MAX_TIMEOUT_MS} are waited in chunks.
 *
 * States: `idle` (made) → `start()` → `running` → `stop()` → `stopped`; stop is idempotent.
 */
export class IntervalTimer {
  private index = 0;
  private state: "idle" | "running" | "stopped" = "idle";
  /** True while the armed delay ends before the deadline (a chunk of a very long wait). */
  private chunked = false;
  private fired = 0;
  private missed = 0;

  constructor(private readonly options: IntervalTimerOptions) {
    if (!Number.isFinite(options.intervalMs) || options.intervalMs < 1) {
      throw new RangeError(
        `interval timer ${options.name}: intervalMs must be a finite number >= 1, got ${options.intervalMs}`,
      );
    }
  }

  /** Epoch ms of the deadline the timer waits for. */
  get nextDeadline(): number {
    return this.options.first + this.index * this.options.intervalMs;
  }

  /** Ticks fired so far. */
  get ticks(): number {
    return this.fired;
  }

  /** Deadlines skipped because a callback came later than the deadline after it. */
  get skipped(): number {
    return this.missed;
  }

  get running(): boolean {
    return this.state === "running";
  }

  start(): void {
    if (this.state !== "idle") return;
    this.state = "running";
    this.arm();
  }

  stop(): void {
    if (this.state === "stopped") return;
    this.state = "stopped";
    this.options.host.clearTimeout(this.options.name);
  }

  private arm(): void {
    const { host, name } = this.options;
    const deadline = this.nextDeadline;
    const delay = Math.max(0, deadline - this.options.now());
    this.chunked = delay > MAX_TIMEOUT_MS;
    if (!this.chunked && isAbsolute(host)) host.setTimeoutAt(name, this.onTimeout, deadline);
    else host.setTimeout(name, this.onTimeout, Math.min(delay, MAX_TIMEOUT_MS));
  }

  private readonly onTimeout = (): void => {
    if (this.state !== "running") return;
    if (this.chunked) {
      this.arm();
      return;
    }
    const { first, intervalMs } = this.options;
    const deadline = this.nextDeadline;
    const next = nextDeadlineIndex(first, intervalMs, this.options.now(), this.index + 1);
    this.missed += next - this.index - 1;
    this.index = next;
    this.fired += 1;
    // Armed before the tick runs, so a tick that throws cannot end the series.
    this.arm();
    this.options.onTick(deadline);
  };
}
