import type { Signal } from "@nerve/core";
import { afterEach, describe, expect, it } from "vitest";
import { none, signalOutcome } from "./__fixtures__/fake-sense-executor.js";
import { ReflexHarness, T0 } from "./__fixtures__/harness.js";
import { ReflexScheduler } from "./reflex-scheduler.service.js";

/** `dst` listens to `src`; `dstConfig` is the YAML body of dst (4-space indented keys). */
function listening(dstConfig = "    group: g\n"): string {
  return (
    "senses:\n  src: {}\n  dst:\n" +
    dstConfig +
    "reflexes:\n  - { kind: sense, sense: dst, on: [src] }\n"
  );
}

describe(ReflexScheduler.name, () => {
  let h: ReflexHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  describe("on reflexes", () => {
    it("computes the listening sense for a signal, with that signal as trigger", () => {
      h = new ReflexHarness(listening());
      h.scheduler.start();
      const signal = h.emit("src", { n: 1 });
      expect(h.executor.of("dst").map((call) => call.request.trigger)).toEqual([
        { kind: "signal", signals: [signal] },
      ]);
    });

    it("chains senses and carries the first triggering signal as causeId", async () => {
      h = new ReflexHarness(
        "senses:\n  a: {}\n  b: {}\n  c: {}\nreflexes:\n" +
          "  - { kind: sense, sense: a, interval: 1h }\n" +
          "  - { kind: sense, sense: b, on: [a] }\n" +
          "  - { kind: sense, sense: c, on: [b] }\n",
      );
      h.executor.auto.set("a", () => signalOutcome("from a"));
      h.executor.auto.set("b", () => signalOutcome("from b"));
      h.executor.auto.set("c", () => none());
      h.scheduler.start();
      await h.flush();
      const fromA = h.executor.of("b")[0].request.trigger.signals[0];
      const fromB = h.executor.of("c")[0].request.trigger.signals[0];
      expect(fromA).toMatchObject({ sense: "a", payload: "from a", causeId: null });
      expect(fromB).toMatchObject({ sense: "b", payload: "from b", causeId: fromA.id });
      expect(h.rows("signal").map((row) => [row.source, row.refId])).toEqual([
        ["sense:a", fromA.id],
        ["sense:b", fromB.id],
      ]);
    });

    it("is not triggered by rows written to the log", async () => {
      h = new ReflexHarness(listening());
      h.scheduler.start();
      h.logStore.append({ source: "sense:src", type: "signal", refId: "x", payload: 1 });
      await h.advance(1_000);
      expect(h.rows("signal")).toHaveLength(1);
      expect(h.executor.calls).toHaveLength(0);
    });
  });

  describe("coalescing", () => {
    it("runs once for signals that arrive during a compute, with all of them oldest first", async () => {
      h = new ReflexHarness(listening());
      h.scheduler.start();
      const first = h.emit("src", 1);
      const later = [h.emit("src", 2), h.emit("src", 3), h.emit("src", 4)];
      expect(h.executor.of("dst")).toHaveLength(1);
      h.executor.current("dst").settle(none());
      await h.flush();
      const computes = h.executor.of("dst");
      expect(computes.map((call) => call.request.trigger)).toEqual([
        { kind: "signal", signals: [first] },
        { kind: "signal", signals: later },
      ]);
      computes[1].settle(none());
      await h.advance(10_000);
      expect(h.executor.of("dst")).toHaveLength(2);
    });

    it("never runs two computes of one sense at once", async () => {
      h = new ReflexHarness(
        "senses:\n  src: {}\n  dst: {}\nreflexes:\n" +
          "  - { kind: sense, sense: dst, on: [src], interval: 50ms }\n",
      );
      h.scheduler.start();
      for (let i = 0; i < 100; i += 1) {
        h.emit("src", i);
        if (i % 3 === 0) h.scheduler.trigger("dst");
        await h.advance(7);
        // Each compute lasts 2 to 3 rounds of triggers.
        const open = h.executor.of("dst").find((call) => !call.settled);
        if (open !== undefined && Date.now() - open.at >= 14) open.settle(none());
      }
      expect(h.executor.maxOverlap).toBe(1);
      expect(h.executor.of("dst").length).toBeGreaterThan(10);
    });

    it("merges triggers inside the throttle window into one compute at its end", async () => {
      h = new ReflexHarness(listening("    throttle: 1s\n"));
      h.executor.auto.set("dst", () => none());
      h.scheduler.start();
      const first = h.emit("src", 0);
      const inWindow: Signal[] = [];
      for (const at of [100, 200, 300]) {
        await h.advance(100);
        inWindow.push(h.emit("src", at));
      }
      h.scheduler.trigger("dst");
      await h.advance(699);
      expect(h.executor.of("dst")).toHaveLength(1);
      await h.advance(1);
      const computes = h.executor.of("dst");
      expect(computes.map((call) => [call.at - T0, call.request.trigger])).toEqual([
        [0, { kind: "signal", signals: [first] }],
        [1_000, { kind: "signal", signals: inWindow }],
      ]);
    });

    it("counts the throttle from compute starts, not ends", async () => {
      h = new ReflexHarness(listening("    throttle: 1s\n"));
      h.scheduler.start();
      h.emit("src", 0);
      await h.advance(1_500);
      h.executor.current("dst").settle(none());
      h.emit("src", 1);
      await h.flush();
      expect(h.executor.of("dst").map((call) => call.at - T0)).toEqual([0, 1_500]);
    });

    it("merges triggers before the grace period ends into one compute when it ends", async () => {
      h = new ReflexHarness(listening("    grace_period: 5s\n"));
      h.executor.auto.set("dst", () => none());
      h.scheduler.start();
      await h.advance(1_000);
      const s1 = h.emit("src", 1);
      await h.advance(1_000);
      const s2 = h.emit("src", 2);
      h.scheduler.trigger("dst");
      await h.advance(2_999);
      expect(h.executor.of("dst")).toHaveLength(0);
      await h.advance(1);
      expect(h.executor.of("dst").map((call) => [call.at - T0, call.request.trigger])).toEqual([
        [5_000, { kind: "signal", signals: [s1, s2] }],
      ]);
    });

    it("merges an interval tick with the signals waiting for the grace period to end", async () => {
      h = new ReflexHarness(
        "senses:\n  src: {}\n  dst: { grace_period: 2s }\nreflexes:\n" +
          "  - { kind: sense, sense: dst, on: [src], interval: 10s }\n",
      );
      h.executor.auto.set("dst", () => none());
      h.scheduler.start();
      const s1 = h.emit("src", 1);
      await h.advance(2_000);
      expect(h.executor.of("dst").map((call) => call.request.trigger)).toEqual([
        { kind: "signal", signals: [s1] },
      ]);
    });

    it("says manual when a manual request and an interval tick merge without signals", async () => {
      h = new ReflexHarness(
        "senses:\n  dst: { throttle: 10s }\nreflexes:\n  - { kind: sense, sense: dst, interval: 3s }\n",
      );
      h.executor.auto.set("dst", () => none());
      h.scheduler.start();
      await h.advance(3_000);
      h.scheduler.trigger("dst");
      await h.advance(7_000);
      expect(h.executor.of("dst").map((call) => [call.at - T0, call.request.trigger.kind])).toEqual(
        [
          [0, "interval"],
          [10_000, "manual"],
        ],
      );
    });

    it("delivers every signal exactly once, in order, to a throttled listener", async () => {
      h = new ReflexHarness(listening("    throttle: 50ms\n"));
      h.scheduler.start();
      const published: Signal[] = [];
      let seed = 3;
      const random = (max: number): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed % max;
      };
      for (let i = 0; i < 300; i += 1) {
        published.push(h.emit("src", i));
        await h.advance(random(20));
        const open = h.executor.of("dst").find((call) => !call.settled);
        if (open !== undefined && random(3) === 0) open.settle(none());
      }
      // Let the last computes run out.
      for (let i = 0; i < 10; i += 1) {
        h.executor
          .of("dst")
          .find((call) => !call.settled)
          ?.settle(none());
        await h.advance(100);
      }
      const received = h.executor.of("dst").flatMap((call) => call.request.trigger.signals);
      expect(received.map((signal) => signal.id)).toEqual(published.map((signal) => signal.id));
      expect(h.executor.of("dst").length).toBeLessThan(published.length);
      expect(h.executor.maxOverlap).toBe(1);
    });
  });
});
