import { describe, expect, it } from "vitest";
import {
  IntervalTimer,
  MAX_TIMEOUT_MS,
  nextDeadlineIndex,
  type TimeoutHost,
} from "./interval-timer.js";

/** A hand-driven timer host: the test decides when the armed callback runs and what time it is. */
class ManualHost implements TimeoutHost {
  now = 0;
  armed: { name: string; callback: () => void; at: number; delay: number } | null = null;
  readonly delays: number[] = [];

  setTimeout(name: string, callback: () => void, delayMs: number): void {
    this.armed = { name, callback, at: this.now + delayMs, delay: delayMs };
    this.delays.push(delayMs);
  }

  clearTimeout(name: string): void {
    if (this.armed?.name === name) this.armed = null;
  }

  /** Runs the armed callback `lateMs` after it was due. */
  fire(lateMs = 0): void {
    const armed = this.armed;
    if (armed === null) throw new Error("no timer armed");
    this.armed = null;
    this.now = armed.at + lateMs;
    armed.callback();
  }
}

/** Deterministic pseudo-random lateness (a small LCG), so a failure can be replayed. */
function lateness(seed: number, max: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % (max + 1);
  };
}

function timer(host: ManualHost, first: number, intervalMs: number, ticks: number[][]) {
  return new IntervalTimer({
    name: "t",
    first,
    intervalMs,
    now: () => host.now,
    host,
    onTick: (deadline) => ticks.push([deadline, host.now]),
  });
}

describe(IntervalTimer.name, () => {
  describe("nextDeadlineIndex", () => {
    it("returns the first deadline strictly after now", () => {
      expect(nextDeadlineIndex(1_000, 100, 1_000, 0)).toBe(1);
      expect(nextDeadlineIndex(1_000, 100, 1_099, 0)).toBe(1);
      expect(nextDeadlineIndex(1_000, 100, 1_100, 0)).toBe(2);
      expect(nextDeadlineIndex(1_000, 100, 1_350, 0)).toBe(4);
    });

    it("never goes below the minimum index, even when now is before that deadline", () => {
      expect(nextDeadlineIndex(1_000, 100, 999, 3)).toBe(3);
      expect(nextDeadlineIndex(1_000, 100, 1_150, 5)).toBe(5);
    });
  });

  describe("deadlines", () => {
    it("keeps every tick on first + k·interval over 1,000 late callbacks", () => {
      const host = new ManualHost();
      const ticks: number[][] = [];
      const late = lateness(7, 40);
      const t = timer(host, 500, 100, ticks);
      t.start();
      for (let i = 0; i < 1_000; i += 1) host.fire(late());
      expect(ticks).toHaveLength(1_000);
      ticks.forEach(([deadline, firedAt], k) => {
        expect(deadline).toBe(500 + k * 100);
        expect(firedAt - deadline).toBeGreaterThanOrEqual(0);
        expect(firedAt - deadline).toBeLessThanOrEqual(40);
      });
      // The next wait is measured from the absolute deadline, not from the late callback.
      expect(host.armed?.at).toBe(500 + 1_000 * 100);
      expect(t.skipped).toBe(0);
    });

    it("skips the deadlines a very late callback missed instead of firing a burst", () => {
      const host = new ManualHost();
      const ticks: number[][] = [];
      const t = timer(host, 0, 100, ticks);
      t.start();
      host.fire(0);
      host.fire(350);
      host.fire(0);
      expect(ticks).toEqual([
        [0, 0],
        [100, 450],
        [500, 500],
      ]);
      expect(t.skipped).toBe(3);
      expect(t.ticks).toBe(3);
    });

    it("ticks for the due deadline when the host fires a little early", () => {
      const host = new ManualHost();
      const ticks: number[][] = [];
      const t = timer(host, 0, 100, ticks);
      t.start();
      host.fire(0);
      host.fire(-1);
      expect(ticks).toEqual([
        [0, 0],
        [100, 99],
      ]);
      expect(host.armed?.at).toBe(200);
    });
  });

  describe("long intervals", () => {
    it("waits delays beyond 2^31-1 ms in chunks and ticks only at the deadline", () => {
      const host = new ManualHost();
      const ticks: number[][] = [];
      const thirtyDays = 30 * 86_400_000;
      const t = timer(host, thirtyDays, thirtyDays, ticks);
      t.start();
      expect(host.armed?.delay).toBe(MAX_TIMEOUT_MS);
      host.fire();
      expect(ticks).toEqual([]);
      expect(host.armed?.delay).toBe(thirtyDays - MAX_TIMEOUT_MS);
      host.fire();
      expect(ticks).toEqual([[thirtyDays, thirtyDays]]);
      expect(host.delays.every((delay) => delay <= MAX_TIMEOUT_MS)).toBe(true);
    });
  });

  describe("lifecycle", () => {
    it("stops arming after stop() and ignores a callback already queued", () => {
      const host = new ManualHost();
      const ticks: number[][] = [];
      const t = timer(host, 0, 100, ticks);
      t.start();
      const queued = host.armed!.callback;
      t.stop();
      t.stop();
      expect(host.armed).toBeNull();
      queued();
      expect(ticks).toEqual([]);
      expect(t.running).toBe(false);
    });

    it("rejects an interval below 1 ms", () => {
      const host = new ManualHost();
      expect(() => timer(host, 0, 0, [])).toThrow(/intervalMs must be a finite number >= 1, got 0/);
    });
  });
});
