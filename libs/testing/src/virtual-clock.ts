import { Clock, type TimeoutHost } from "@nerve/daemon";

/** A Clock whose time moves only when the test moves it. */
export class VirtualClock extends Clock {
  constructor(private time: number) {
    super();
  }

  override now(): number {
    return this.time;
  }

  /** Moves the time to `time`; never backwards (a deadline already passed is not relived). */
  set(time: number): void {
    if (time > this.time) this.time = time;
  }
}

interface Deadline {
  at: number;
  /** Order of arming: deadlines at the same instant fire in the order they were armed. */
  seq: number;
  callback: () => void;
}

/**
 * The scheduler's named timeouts on a {@link VirtualClock}: each is a deadline in a queue, and
 * nothing fires until {@link VirtualTimeoutHost.fireNext} fires the earliest one due. The
 * engine arms every interval tick, throttle window and grace period through this interface, so
 * moving the clock and firing the queue in order is the same schedule as real time, without
 * the waiting.
 */
export class VirtualTimeoutHost implements TimeoutHost {
  private readonly deadlines = new Map<string, Deadline>();
  private seq = 0;
  private fired = 0;

  constructor(private readonly clock: VirtualClock) {}

  setTimeout(name: string, callback: () => void, delayMs: number): void {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    this.seq += 1;
    this.deadlines.set(name, { at: this.clock.now() + delay, seq: this.seq, callback });
  }

  clearTimeout(name: string): void {
    this.deadlines.delete(name);
  }

  /** Timeouts fired so far. */
  get firedCount(): number {
    return this.fired;
  }

  /** Names and deadlines (epoch ms) of the armed timeouts, earliest first. */
  pending(): { name: string; at: number }[] {
    return [...this.deadlines.entries()]
      .sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)
      .map(([name, { at }]) => ({ name, at }));
  }

  /**
   * Fires the earliest timeout due at or before `until`: moves the clock to its deadline, then
   * calls it. Returns false when none is due.
   */
  fireNext(until: number): boolean {
    let next: [string, Deadline] | null = null;
    for (const entry of this.deadlines) {
      const [, deadline] = entry;
      if (deadline.at > until) continue;
      if (
        next === null ||
        deadline.at < next[1].at ||
        (deadline.at === next[1].at && deadline.seq < next[1].seq)
      ) {
        next = entry;
      }
    }
    if (next === null) return false;
    const [name, deadline] = next;
    this.deadlines.delete(name);
    this.clock.set(deadline.at);
    this.fired += 1;
    deadline.callback();
    return true;
  }
}
