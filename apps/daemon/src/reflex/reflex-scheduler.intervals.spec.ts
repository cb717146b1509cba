import { afterEach, describe, expect, it, vi } from "vitest";
import { none } from "./__fixtures__/fake-sense-executor.js";
import { ReflexHarness, T0 } from "./__fixtures__/harness.js";
import { SchedulerStoppedError } from "./errors/scheduler-stopped.error.js";
import { ReflexScheduler } from "./reflex-scheduler.service.js";

const SECOND = 1_000;

function yaml(sense: string, reflex: string): string {
  return `senses:\n  a:\n${sense}reflexes:\n  - kind: sense\n    sense: a\n${reflex}`;
}

describe(ReflexScheduler.name, () => {
  let h: ReflexHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  describe("intervals", () => {
    it("ticks first at daemon start + grace period, then every interval", async () => {
      h = new ReflexHarness(yaml("    grace_period: 5s\n", "    interval: 10s\n"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.advance(5 * SECOND - 1);
      expect(h.executor.calls).toHaveLength(0);
      await h.advance(1);
      await h.advance(20 * SECOND);
      expect(h.executor.calls.map((call) => call.at - T0)).toEqual([5_000, 15_000, 25_000]);
      expect(h.executor.calls.map((call) => call.request.trigger)).toEqual(
        Array(3).fill({ kind: "interval", signals: [] }),
      );
    });

    it("ticks at once at start when there is no grace period", async () => {
      h = new ReflexHarness(yaml("    group: g\n", "    interval: 1m\n"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.flush();
      expect(h.executor.calls.map((call) => call.at - T0)).toEqual([0]);
    });

    it("keeps 1,000 ticks on their deadlines when every callback runs late", async () => {
      h = new ReflexHarness(yaml("    group: g\n", "    interval: 100ms\n"));
      h.executor.auto.set("*", () => none());
      // Each compute stalls the clock by 0-30 ms, so the next callback runs that late.
      let state = 11;
      h.executor.onCompute = () => {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        vi.setSystemTime(Date.now() + (state % 31));
      };
      h.scheduler.start();
      // The stalls move the system clock ahead of the timers' own time, so advance by ticks.
      while (h.executor.calls.length < 1_000) await h.advance(10);
      const starts = h.executor.calls.map((call) => call.at - T0);
      starts.forEach((at, k) => {
        expect(at).toBeGreaterThanOrEqual(k * 100);
        expect(at).toBeLessThanOrEqual(k * 100 + 30);
      });
    });

    it("skips deadlines missed by a stalled event loop instead of firing a burst", async () => {
      h = new ReflexHarness(yaml("    group: g\n", "    interval: 100ms\n"));
      h.executor.auto.set("*", () => none());
      h.executor.onCompute = () => {
        if (h!.executor.calls.length === 1) vi.setSystemTime(Date.now() + 350);
      };
      h.scheduler.start();
      // 350 ms of the system clock passed inside the first compute, so 350 timer ms reach 700.
      await h.advance(350);
      expect(h.executor.calls.map((call) => call.at - T0)).toEqual([0, 450, 500, 600, 700]);
    });

    it("waits an interval beyond 2^31-1 ms without firing early", async () => {
      h = new ReflexHarness(yaml("    grace_period: 1s\n", "    interval: 30d\n"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.advance(SECOND);
      expect(h.executor.calls).toHaveLength(1);
      await h.advance(29 * 86_400_000);
      expect(h.executor.calls).toHaveLength(1);
      await h.advance(86_400_000);
      expect(h.executor.calls.map((call) => call.at - T0)).toEqual([
        1_000,
        1_000 + 30 * 86_400_000,
      ]);
    });

    it("keeps one timer per distinct interval of a sense's reflexes, one per deadline", async () => {
      h = new ReflexHarness(
        "senses:\n  a: {}\nreflexes:\n" +
          "  - { kind: sense, sense: a, interval: 3s }\n" +
          "  - { kind: sense, sense: a, interval: 3s }\n" +
          "  - { kind: sense, sense: a, interval: 5s }\n",
      );
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      // Both intervals are first due at the start: one timer for that moment.
      expect(h.registry.getTimeouts()).toEqual([`reflex:ticks-at:${T0}`]);
      await h.flush();
      expect(h.registry.getTimeouts().sort()).toEqual([
        `reflex:ticks-at:${T0 + 3_000}`,
        `reflex:ticks-at:${T0 + 5_000}`,
      ]);
      await h.advance(10 * SECOND);
      // At 0 both timers fire (instant computes do not overlap them), then 3, 5, 6, 9, 10 s.
      expect(h.executor.calls.map((call) => call.at - T0)).toEqual([
        0, 0, 3_000, 5_000, 6_000, 9_000, 10_000,
      ]);
    });
  });

  describe("stop", () => {
    it("cancels every timer and takes no more triggers", async () => {
      h = new ReflexHarness(yaml("    throttle: 1s\n", "    interval: 10s\n"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.flush();
      h.scheduler.trigger("a"); // waits for the throttle window: a wake-up timer
      expect(h.registry.getTimeouts().sort()).toEqual([
        "reflex:a:wake",
        `reflex:ticks-at:${T0 + 10_000}`,
      ]);
      h.scheduler.stop();
      h.scheduler.stop();
      expect(h.registry.getTimeouts()).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
      await h.advance(60 * SECOND);
      expect(h.executor.calls).toHaveLength(1);
      expect(() => h!.scheduler.trigger("a")).toThrow(SchedulerStoppedError);
      expect(h.scheduler.status).toBe("stopped");
    });

    it("still handles the outcome of a compute in flight at stop", async () => {
      h = new ReflexHarness(yaml("    group: g\n", "    interval: 10s\n"));
      h.scheduler.start();
      await h.flush();
      h.scheduler.stop();
      h.executor.current("a").settle(none());
      await h.scheduler.idle();
      expect(h.scheduler.senseStatus("a")).toMatchObject({ running: false, computes: 1 });
    });
  });
});
