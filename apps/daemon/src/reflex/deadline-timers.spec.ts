import { describe, expect, it } from "vitest";
import { DeadlineTimers } from "./deadline-timers.js";
import { IntervalTimer, MAX_TIMEOUT_MS, type TimeoutHost } from "./interval-timer.js";

/** A hand-driven timer host with any number of named timers; the test moves the time. */
class ManualHost implements TimeoutHost {
  now = 0;
  readonly armed = new Map<string, { callback: () => void; at: number }>();
  armings = 0;

  setTimeout(name: string, callback: () => void, delayMs: number): void {
    this.armed.set(name, { callback, at: this.now + delayMs });
    this.armings += 1;
  }

  clearTimeout(name: string): void {
    this.armed.delete(name);
  }

  /** Moves the time to `to`, running every timer due by then, earliest first. */
  advance(to: number): void {
    for (;;) {
      const next = [...this.armed].sort((a, b) => a[1].at - b[1].at)[0];
      if (next === undefined || next[1].at > to) break;
      this.armed.delete(next[0]);
      this.now = next[1].at;
      next[1].callback();
    }
    this.now = to;
  }
}

function setup() {
  const host = new ManualHost();
  const timers = new DeadlineTimers(host, () => host.now, "due:");
  return { host, timers };
}

describe(DeadlineTimers.name, () => {
  it("arms one host timer per distinct moment and runs its callbacks in arming order", () => {
    const { host, timers } = setup();
    const ran: string[] = [];
    for (const name of ["c", "a", "b"]) timers.setTimeoutAt(name, () => ran.push(name), 100);
    timers.setTimeoutAt("d", () => ran.push("d"), 200);
    expect([...host.armed.keys()]).toEqual(["due:100", "due:200"]);
    host.advance(150);
    expect(ran).toEqual(["c", "a", "b"]);
    expect(timers.armed).toBe(1);
    host.advance(200);
    expect(ran).toEqual(["c", "a", "b", "d"]);
    expect(host.armed.size).toBe(0);
  });

  it("clears a name, and the host timer with the last name of its moment", () => {
    const { host, timers } = setup();
    const ran: string[] = [];
    timers.setTimeoutAt("a", () => ran.push("a"), 100);
    timers.setTimeoutAt("b", () => ran.push("b"), 100);
    timers.clearTimeout("a");
    timers.clearTimeout("nothing");
    expect(host.armed.has("due:100")).toBe(true);
    timers.clearTimeout("b");
    expect(host.armed.size).toBe(0);
    host.advance(1_000);
    expect(ran).toEqual([]);
  });

  it("re-arming a name moves it to its new moment", () => {
    const { host, timers } = setup();
    const ran: string[] = [];
    timers.setTimeoutAt("a", () => ran.push("a@100"), 100);
    timers.setTimeout("a", () => ran.push("a@50"), 50);
    expect([...host.armed.keys()]).toEqual(["due:50"]);
    host.advance(1_000);
    expect(ran).toEqual(["a@50"]);
  });

  it("skips a callback of the same moment cleared by an earlier one, and runs the rest when one throws", () => {
    const { host, timers } = setup();
    const ran: string[] = [];
    timers.setTimeoutAt("a", () => timers.clearTimeout("b"), 100);
    timers.setTimeoutAt("b", () => ran.push("b"), 100);
    timers.setTimeoutAt(
      "c",
      () => {
        throw new Error("c failed");
      },
      100,
    );
    timers.setTimeoutAt("d", () => ran.push("d"), 100);
    expect(() => host.advance(100)).toThrow("c failed");
    expect(ran).toEqual(["d"]);
    expect(timers.armed).toBe(0);
  });

  it("waits a moment beyond setTimeout's reach in chunks", () => {
    const { host, timers } = setup();
    const ran: number[] = [];
    const at = MAX_TIMEOUT_MS + 5_000;
    timers.setTimeoutAt("far", () => ran.push(host.now), at);
    host.advance(MAX_TIMEOUT_MS);
    expect(ran).toEqual([]);
    expect(host.armed.get(`due:${at}`)?.at).toBe(at);
    host.advance(at);
    expect(ran).toEqual([at]);
  });

  it("drives 1,000 interval timers on one grid with one host timer per tick", () => {
    const { host, timers } = setup();
    const ticks: number[] = [];
    const interval = Array.from(
      { length: 1_000 },
      (_, i) =>
        new IntervalTimer({
          name: `s${i}`,
          first: 0,
          intervalMs: 1_000,
          now: () => host.now,
          host: timers,
          onTick: (deadline) => {
            if (i === 0) ticks.push(deadline);
          },
        }),
    );
    for (const timer of interval) timer.start();
    host.advance(3_000);
    expect(ticks).toEqual([0, 1_000, 2_000, 3_000]);
    expect(interval.every((timer) => timer.ticks === 4)).toBe(true);
    // The first arming, then one per tick, whatever the number of timers.
    expect(host.armings).toBe(5);
  });
});
