// Plain TypeScript, no Nest import (as interval-timer.ts).
import { MAX_TIMEOUT_MS, type AbsoluteTimeoutHost, type TimeoutHost } from "./interval-timer.js";

interface Entry {
  readonly name: string;
  readonly callback: () => void;
  readonly at: number;
}

/**
 * Named one-shot timers grouped by the moment they are due: however many names wait for the
 * same epoch millisecond, ONE timer of the underlying host is armed for it (named
 * `<prefix><epoch ms>`), and when it fires the callbacks run in the order they were armed, in
 * the same task. A thousand senses on one interval grid then cost one timer per tick instead of
 * a thousand, and everything they send leaves together (one task, so one batch per worker).
 *
 * The underlying host is the engine's TimeoutHost and the time its `now`, so whatever drives
 * those (fake or virtual timers) drives these. A callback that throws does not keep the others
 * of its moment from running; the first error is thrown again once they all ran.
 */
export class DeadlineTimers implements AbsoluteTimeoutHost {
  private readonly entries = new Map<string, Entry>();
  private readonly due = new Map<number, Set<Entry>>();

  /**
   * @param around runs the callbacks of one moment (all of them, in one call): the scheduler
   *   sends what they ask of the workers together.
   */
  constructor(
    private readonly host: TimeoutHost,
    private readonly now: () => number,
    private readonly prefix: string,
    private readonly around: (run: () => void) => void = (run) => run(),
  ) {}

  /** How many host timers are armed (one per distinct moment). */
  get armed(): number {
    return this.due.size;
  }

  setTimeout(name: string, callback: () => void, delayMs: number): void {
    this.setTimeoutAt(name, callback, this.now() + Math.max(0, delayMs));
  }

  setTimeoutAt(name: string, callback: () => void, at: number): void {
    this.clearTimeout(name);
    const entry: Entry = { name, callback, at };
    this.entries.set(name, entry);
    let group = this.due.get(at);
    if (group === undefined) {
      group = new Set();
      this.due.set(at, group);
      this.arm(at);
    }
    group.add(entry);
  }

  clearTimeout(name: string): void {
    const entry = this.entries.get(name);
    if (entry === undefined) return;
    this.entries.delete(name);
    const group = this.due.get(entry.at);
    if (group === undefined) return;
    group.delete(entry);
    if (group.size > 0) return;
    this.due.delete(entry.at);
    this.host.clearTimeout(this.timerName(entry.at));
  }

  private timerName(at: number): string {
    return `${this.prefix}${at}`;
  }

  /** Arms the host's timer of `at`; a moment beyond setTimeout's reach is waited in chunks. */
  private arm(at: number): void {
    const delay = Math.max(0, at - this.now());
    this.host.setTimeout(
      this.timerName(at),
      delay > MAX_TIMEOUT_MS ? () => this.arm(at) : () => this.fire(at),
      Math.min(delay, MAX_TIMEOUT_MS),
    );
  }

  private fire(at: number): void {
    const group = this.due.get(at);
    if (group === undefined) return;
    this.due.delete(at);
    let failure: { error: unknown } | null = null;
    this.around(() => {
      for (const entry of group) {
        // Cleared or re-armed by an earlier callback of this moment: not this entry's turn.
        if (this.entries.get(entry.name) !== entry) continue;
        this.entries.delete(entry.name);
        try {
          entry.callback();
        } catch (error) {
          failure ??= { error };
        }
      }
    });
    if (failure !== null) throw (failure as { error: unknown }).error;
  }
}
