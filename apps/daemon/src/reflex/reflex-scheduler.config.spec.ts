import { afterEach, describe, expect, it, vi } from "vitest";
import { none } from "./__fixtures__/fake-sense-executor.js";
import { ReflexHarness, T0 } from "./__fixtures__/harness.js";
import { UnknownSenseError } from "./errors/unknown-sense.error.js";
import { ReflexScheduler } from "./reflex-scheduler.service.js";

function starts(h: ReflexHarness, sense: string): number[] {
  return h.executor.of(sense).map((call) => call.at - T0);
}

describe(ReflexScheduler.name, () => {
  let h: ReflexHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  describe("config reload", () => {
    it("keeps the timers and counters of unchanged senses and reschedules changed intervals", async () => {
      const reflexes = (bInterval: string) =>
        "senses:\n  a: {}\n  b: {}\nreflexes:\n" +
        "  - { kind: sense, sense: a, interval: 1s }\n" +
        `  - { kind: sense, sense: b, interval: ${bInterval} }\n`;
      h = new ReflexHarness(reflexes("1s"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.advance(1_500);
      h.reload(reflexes("400ms"));
      await h.advance(1_500);
      expect(starts(h, "a")).toEqual([0, 1_000, 2_000, 3_000]);
      // b's new interval ticks at once (its first tick is long past), then every 400 ms.
      expect(starts(h, "b")).toEqual([0, 1_000, 1_500, 1_900, 2_300, 2_700]);
      expect(h.scheduler.senseStatus("a")).toMatchObject({ computes: 4 });
    });

    it("drops a removed sense, its timers and its pending triggers, with a log line", async () => {
      h = new ReflexHarness(
        "senses:\n  a: {}\n  b: { throttle: 1m }\nreflexes:\n" +
          "  - { kind: sense, sense: b, interval: 10s }\n",
      );
      const info = vi.spyOn(h.daemonLog, "info");
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.flush();
      h.scheduler.trigger("b");
      h.reload("senses:\n  a: {}\nreflexes:\n  - { kind: sense, sense: a, interval: 1h }\n");
      expect(info).toHaveBeenCalledWith(
        "reflex",
        "sense b was removed from nerve.yaml: 1 pending trigger(s) discarded",
      );
      // a's new reflex is due at once (its first tick: now).
      expect(h.registry.getTimeouts()).toEqual([`reflex:ticks-at:${T0}`]);
      expect(() => h!.scheduler.trigger("b")).toThrow(UnknownSenseError);
      await h.advance(120_000);
      expect(starts(h, "b")).toEqual([0]);
    });

    it("counts a new sense's grace period from the daemon start, not from the reload", async () => {
      h = new ReflexHarness(
        "senses:\n  a: {}\nreflexes:\n  - { kind: sense, sense: a, interval: 1h }\n",
      );
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.advance(3_000);
      h.reload(
        "senses:\n  a: {}\n  c: { grace_period: 5s }\nreflexes:\n" +
          "  - { kind: sense, sense: a, interval: 1h }\n" +
          "  - { kind: sense, sense: c, interval: 10s }\n",
      );
      await h.advance(20_000);
      expect(starts(h, "c")).toEqual([5_000, 15_000]);
      expect(starts(h, "a")).toEqual([0]);
    });

    it("follows new on reflexes and forgets removed ones", async () => {
      const yaml = (on: string) =>
        `senses:\n  x: {}\n  y: {}\n  z: {}\nreflexes:\n  - { kind: sense, sense: z, on: [${on}] }\n`;
      h = new ReflexHarness(yaml("x"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      h.emit("x");
      h.reload(yaml("y"));
      h.emit("x");
      const fromY = h.emit("y");
      await h.flush();
      expect(h.executor.of("z").map((call) => call.request.trigger.signals[0].sense)).toEqual([
        "x",
        "y",
      ]);
      expect(h.executor.of("z")[1].request.trigger.signals).toEqual([fromY]);
    });

    it("applies a shorter throttle to triggers already waiting", async () => {
      const yaml = (throttle: string) =>
        `senses:\n  s: { throttle: ${throttle} }\nreflexes:\n  - { kind: sense, sense: s, interval: 1h }\n`;
      h = new ReflexHarness(yaml("1m"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.flush();
      await h.advance(1_000);
      h.scheduler.trigger("s");
      h.reload(yaml("2s"));
      await h.advance(1_000);
      expect(starts(h, "s")).toEqual([0, 2_000]);
    });

    it("never runs a re-added sense while the compute of its removed self is in flight", async () => {
      const yaml = "senses:\n  s: {}\nreflexes:\n  - { kind: sense, sense: s, interval: 1h }\n";
      h = new ReflexHarness(yaml);
      h.scheduler.start();
      await h.flush();
      h.reload("senses:\n  t: {}\nreflexes:\n  - { kind: sense, sense: t, interval: 1h }\n");
      h.reload(yaml);
      h.scheduler.trigger("s");
      await h.flush();
      expect(h.executor.of("s")).toHaveLength(1);
      h.executor.current("s").settle();
      await h.flush();
      expect(h.executor.of("s")).toHaveLength(2);
      expect(h.executor.maxOverlap).toBe(1);
    });
  });

  describe("trigger", () => {
    it("rejects an unknown sense with UnknownSenseError listing the declared ones", () => {
      h = new ReflexHarness(
        "senses:\n  a: {}\n  b: {}\nreflexes:\n  - { kind: sense, sense: a, interval: 1h }\n",
      );
      expect(() => h!.scheduler.trigger("nope")).toThrow(new UnknownSenseError("nope", ["a", "b"]));
      expect(() => h!.scheduler.trigger("nope")).toThrow(
        'unknown sense "nope": it is not declared under senses: in nerve.yaml (declared: a, b)',
      );
    });

    it("holds a trigger made before start until the scheduler starts", async () => {
      h = new ReflexHarness("senses:\n  a: {}\n");
      h.scheduler.trigger("a");
      await h.advance(1_000);
      expect(h.executor.calls).toHaveLength(0);
      h.scheduler.start();
      expect(h.executor.of("a").map((call) => [call.at - T0, call.request.trigger.kind])).toEqual([
        [1_000, "manual"],
      ]);
    });
  });
});
