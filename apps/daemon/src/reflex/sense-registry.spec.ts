import { afterEach, describe, expect, it } from "vitest";
import { failedOutcome, none } from "./__fixtures__/fake-sense-executor.js";
import { ReflexHarness, T0 } from "./__fixtures__/harness.js";
import { UnknownSenseError } from "./errors/unknown-sense.error.js";
import { SenseRegistry } from "./sense-registry.service.js";

const YAML =
  "senses:\n" +
  "  disk: { group: system, throttle: 10s, timeout: 5s, grace_period: 1m }\n" +
  "  cpu: {}\n  net: {}\n  idle: {}\n" +
  "reflexes:\n" +
  "  - { kind: sense, sense: disk, interval: 5m, on: [cpu] }\n" +
  "  - { kind: sense, sense: disk, interval: 30s, on: [net, cpu] }\n" +
  "  - { kind: sense, sense: cpu, interval: 1s }\n";

describe(SenseRegistry.name, () => {
  let h: ReflexHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  describe("list", () => {
    it("gives every sense in YAML order with durations in ms, its shortest interval and all its on", () => {
      h = new ReflexHarness(YAML);
      expect(h.senses.list()).toEqual([
        {
          name: "disk",
          group: "system",
          throttle: 10_000,
          timeout: 5_000,
          gracePeriod: 60_000,
          interval: 30_000,
          on: ["cpu", "net"],
          running: false,
          computes: 0,
          errors: 0,
          lastComputeAt: null,
          lastSignalAt: null,
          lastError: null,
          disabled: false,
          disabledReason: null,
          reenable: null,
          groupState: null,
          nextRestartAt: null,
        },
        expect.objectContaining({ name: "cpu", group: "default", interval: 1_000, on: [] }),
        expect.objectContaining({ name: "net", interval: null, on: [] }),
        expect.objectContaining({ name: "idle", interval: null, on: [] }),
      ]);
    });

    it("reports live counters and the last failure", async () => {
      h = new ReflexHarness(YAML);
      h.executor.auto.set("cpu", () => failedOutcome("error", "boom"));
      h.executor.auto.set("*", () => none());
      h.scheduler.start();
      await h.advance(2_000);
      h.scheduler.trigger("net");
      expect(h.senses.list().find((sense) => sense.name === "cpu")).toMatchObject({
        computes: 3,
        errors: 3,
        lastComputeAt: T0 + 2_000,
        lastError: "boom",
        running: false,
      });
    });

    it("shows a disabled sense with its reason as the last error", () => {
      h = new ReflexHarness(YAML);
      h.executor.disabled.set("net", "migration 002_add.sql failed: no such table: x");
      expect(h.senses.list().find((sense) => sense.name === "net")).toMatchObject({
        disabled: true,
        lastError: "migration 002_add.sql failed: no such table: x",
        disabledReason: "migration 002_add.sql failed: no such table: x",
        reenable: "edit senses/net/ or nerve.yaml (saving reloads it)",
      });
    });
  });

  describe("trigger", () => {
    it("queues a manual compute and answers accepted", () => {
      h = new ReflexHarness(YAML);
      h.scheduler.start();
      expect(h.senses.trigger("idle")).toEqual({ sense: "idle", accepted: true });
      expect(h.executor.of("idle").map((call) => call.request.trigger)).toEqual([
        { kind: "manual", signals: [] },
      ]);
    });

    it("throws UnknownSenseError for an undeclared sense", () => {
      h = new ReflexHarness(YAML);
      expect(() => h!.senses.trigger("gpu")).toThrow(UnknownSenseError);
    });
  });
});
