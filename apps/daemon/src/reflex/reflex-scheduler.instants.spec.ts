import { afterEach, describe, expect, it, vi } from "vitest";
import { none } from "./__fixtures__/fake-sense-executor.js";
import { ReflexHarness, T0 } from "./__fixtures__/harness.js";
import { ReflexScheduler } from "./reflex-scheduler.service.js";

const SECOND = 1_000;

function yaml(sense: string, reflex: string): string {
  return (
    `senses:\n  a:\n${sense}  b: {}\n` +
    `reflexes:\n  - kind: sense\n    sense: a\n${reflex}  - kind: sense\n    sense: b\n    interval: 1h\n`
  );
}

describe(ReflexScheduler.name, () => {
  let h: ReflexHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  describe("the instant a compute is for (ctx.now)", () => {
    it("gives an interval tick its scheduled deadline, even when its callback runs late", async () => {
      h = new ReflexHarness(yaml("    group: g\n", "    interval: 100ms\n"));
      h.executor.auto.set("*", () => none());
      h.executor.onCompute = (request) => {
        if (request.sense === "a" && h!.executor.of("a").length === 1) {
          vi.setSystemTime(Date.now() + 350);
        }
      };
      h.scheduler.start();
      await h.advance(350);
      const calls = h.executor.of("a");
      // The second tick, due at 100, ran at 450; the deadlines it skipped are not replayed.
      expect(calls.map((call) => call.at - T0)).toEqual([0, 450, 500, 600, 700]);
      expect(calls.map((call) => (call.request.now ?? NaN) - T0)).toEqual([0, 100, 500, 600, 700]);
    });

    it("gives a tick held back by the throttle the deadline it was due at", async () => {
      h = new ReflexHarness(yaml("    throttle: 15s\n", "    interval: 10s\n"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.advance(16 * SECOND);
      const calls = h.executor.of("a");
      expect(calls.map((call) => call.at - T0)).toEqual([0, 15 * SECOND]);
      expect(calls.map((call) => (call.request.now ?? NaN) - T0)).toEqual([0, 10 * SECOND]);
    });

    it("gives a manual trigger the moment it was asked for, not when it could run", async () => {
      h = new ReflexHarness(yaml("    throttle: 10s\n", "    on: [b]\n"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      h.scheduler.trigger("a");
      await h.advance(2 * SECOND);
      h.scheduler.trigger("a");
      await h.advance(10 * SECOND);
      const calls = h.executor.of("a");
      expect(calls.map((call) => call.at - T0)).toEqual([0, 10 * SECOND]);
      expect(calls.map((call) => (call.request.now ?? NaN) - T0)).toEqual([0, 2 * SECOND]);
    });

    it("gives a compute that merged several triggers the latest of their instants", async () => {
      h = new ReflexHarness(yaml("    throttle: 10s\n", "    on: [b]\n"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      h.scheduler.trigger("a");
      await h.advance(SECOND);
      h.emit("b", { n: 1 });
      await h.advance(3 * SECOND);
      h.emit("b", { n: 2 });
      await h.advance(10 * SECOND);
      const calls = h.executor.of("a");
      expect(calls).toHaveLength(2);
      expect(calls[1].request.trigger.signals).toHaveLength(2);
      expect((calls[1].request.now ?? NaN) - T0).toBe(4 * SECOND);
    });
  });
});
