import type { Signal } from "@nerve/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MissingWorkflowEngine } from "../workflow/workflow-launcher.js";
import type { ComputeOutcome } from "../sense/sense-runtime.types.js";
import {
  failedOutcome,
  none,
  ok,
  signalOutcome,
  workflowOutcome,
} from "./__fixtures__/fake-sense-executor.js";
import { ReflexHarness, T0 } from "./__fixtures__/harness.js";
import { RecordingLauncher } from "./__fixtures__/recording-launcher.js";
import { ReflexScheduler } from "./reflex-scheduler.service.js";

const WORKSPACE =
  "senses:\n  src: {}\n  dst: {}\n  watcher: {}\n" +
  "reflexes:\n  - { kind: sense, sense: dst, on: [src] }\n  - { kind: sense, sense: watcher, on: [dst] }\n" +
  "workflows:\n  cleanup: {}\n";

const directive = { workflow: "cleanup", maxRounds: 5, prompt: "free | space" };

describe(ReflexScheduler.name, () => {
  let h: ReflexHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Runs dst once, triggered by a signal of src, with `outcome`; returns the trigger signal. */
  async function computeDst(outcome: ComputeOutcome): Promise<Signal> {
    h!.executor.auto.set("watcher", () => none());
    h!.scheduler.start();
    const cause = h!.emit("src", "go");
    h!.executor.current("dst").settle(outcome);
    await h!.scheduler.idle();
    return cause;
  }

  describe("outcomes", () => {
    it("publishes a signal for a value, logged and heard by listeners, with the cause", async () => {
      h = new ReflexHarness(WORKSPACE);
      const heard: Signal[] = [];
      h.bus.subscribe("dst", (signal) => void heard.push(signal));
      await h.advance(1_234);
      const cause = await computeDst(signalOutcome({ pct: 97 }));
      expect(heard).toEqual([
        {
          id: expect.any(String),
          sense: "dst",
          payload: { pct: 97 },
          ts: T0 + 1_234,
          causeId: cause.id,
        },
      ]);
      expect(h.rows("signal").at(-1)).toMatchObject({
        source: "sense:dst",
        refId: heard[0].id,
        payload: { pct: 97 },
      });
      expect(h.executor.of("watcher")[0].request.trigger.signals).toEqual(heard);
      expect(h.scheduler.senseStatus("dst")).toMatchObject({
        computes: 1,
        errors: 0,
        lastSignalAt: T0 + 1_234,
        lastComputeAt: T0 + 1_234,
      });
    });

    it("emits nothing for a null result", async () => {
      h = new ReflexHarness(WORKSPACE);
      await computeDst(ok({ kind: "none" }));
      expect(h.rows("signal").map((row) => row.source)).toEqual(["sense:src"]);
      expect(h.executor.of("watcher")).toHaveLength(0);
    });

    it("warns about an ignored directive and still emits the signal", async () => {
      h = new ReflexHarness(WORKSPACE);
      const warn = vi.spyOn(h.daemonLog, "warn");
      const outcome = signalOutcome({ a: 1 });
      if (outcome.ok && outcome.route.kind === "signal") {
        outcome.route.ignoredDirective = { reason: 'expected "name|maxRounds|prompt"' };
      }
      await computeDst(outcome);
      expect(warn).toHaveBeenCalledWith(
        "sense:dst",
        expect.stringContaining(
          '"workflow" field is not a directive (expected "name|maxRounds|prompt")',
        ),
      );
      expect(h.rows("signal").map((row) => row.source)).toEqual(["sense:src", "sense:dst"]);
    });

    it("hands a directive to the launcher with its source and cause, and emits no signal", async () => {
      const launcher = new RecordingLauncher();
      h = new ReflexHarness(WORKSPACE, launcher);
      const cause = await computeDst(workflowOutcome(directive, { disk: "/" }));
      expect(launcher.launches).toEqual([
        {
          workflow: "cleanup",
          prompt: "free | space",
          maxRounds: 5,
          payload: { disk: "/" },
          source: "sense:dst",
          causeId: cause.id,
        },
      ]);
      expect(h.rows("signal").map((row) => row.source)).toEqual(["sense:src"]);
      expect(h.executor.of("watcher")).toHaveLength(0);
      expect(h.scheduler.senseStatus("dst")).toMatchObject({ computes: 1, errors: 0 });
    });

    it("logs a rejected launch as sense.error naming the workflow and reason, with no signal", async () => {
      h = new ReflexHarness(WORKSPACE, new MissingWorkflowEngine());
      const cause = await computeDst(workflowOutcome(directive, {}));
      const [row] = h.rows("sense.error");
      expect(row).toMatchObject({
        source: "sense:dst",
        refId: cause.id,
        payload: { kind: "workflow", workflow: "cleanup" },
      });
      expect((row.payload as { message: string }).message).toMatch(
        /workflow "cleanup", which was not started: cannot start workflow "cleanup": this daemon has no workflow engine yet/,
      );
      expect(h.rows("signal").map((r) => r.source)).toEqual(["sense:src"]);
      expect(h.scheduler.senseStatus("dst")).toMatchObject({
        errors: 1,
        lastError: expect.stringContaining("no workflow engine"),
      });
    });

    it("logs a directive naming an undeclared workflow without calling the launcher", async () => {
      const launcher = new RecordingLauncher();
      h = new ReflexHarness(WORKSPACE, launcher);
      await computeDst(workflowOutcome({ ...directive, workflow: "nope" }, {}));
      expect(launcher.launches).toEqual([]);
      expect(h.rows("sense.error").map((row) => row.payload)).toEqual([
        {
          kind: "workflow",
          workflow: "nope",
          message: expect.stringContaining("it is not declared under workflows: in nerve.yaml"),
        },
      ]);
      expect(h.rows("signal")).toHaveLength(1);
    });

    it.each([
      ["error", "sense.error"],
      ["crashed", "sense.error"],
      ["unavailable", "sense.error"],
      ["timeout", "sense.timeout"],
    ] as const)("logs the %s outcome as a %s row and a daemon log line", async (kind, type) => {
      h = new ReflexHarness(WORKSPACE);
      const error = vi.spyOn(h.daemonLog, "error");
      const cause = await computeDst(failedOutcome(kind, `it went ${kind}`));
      const rows = h.rows(type);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        source: "sense:dst",
        refId: cause.id,
        payload: {
          kind,
          message: `it went ${kind}`,
          stack: expect.stringContaining("compute.ts:1:1"),
        },
      });
      if (kind === "timeout") expect(rows[0].payload).toMatchObject({ timeoutMs: 30_000 });
      // A timeout's stack only shows the timer that fired: the line carries the message alone.
      expect(error).toHaveBeenCalledWith(
        "sense:dst",
        expect.stringContaining(`it went ${kind}`),
        kind === "timeout" ? undefined : expect.stringContaining("compute.ts:1:1"),
      );
      expect(h.scheduler.senseStatus("dst")).toMatchObject({
        computes: 1,
        errors: 1,
        lastError: `it went ${kind}`,
      });
      expect(h.rows("signal")).toHaveLength(1);
    });

    it("counts a compute whose executor rejects as failed and keeps scheduling the sense", async () => {
      h = new ReflexHarness(WORKSPACE);
      h.executor.onCompute = (request) => {
        if (request.sense === "dst") throw new Error("executor bug");
      };
      h.scheduler.start();
      h.emit("src", 1);
      await h.scheduler.idle();
      expect(h.rows("sense.error").map((row) => row.payload)).toEqual([
        expect.objectContaining({ kind: "error", message: "executor bug" }),
      ]);
      h.executor.onCompute = null;
      h.emit("src", 2);
      expect(h.executor.of("dst")).toHaveLength(2);
    });

    it("does not compute a disabled sense and says so once", () => {
      h = new ReflexHarness(WORKSPACE);
      const warn = vi.spyOn(h.daemonLog, "warn");
      h.executor.disabled.set("dst", "migration 001.sql failed");
      h.scheduler.start();
      h.emit("src", 1);
      h.emit("src", 2);
      h.scheduler.trigger("dst");
      expect(h.executor.of("dst")).toHaveLength(0);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(
        "sense:dst",
        expect.stringContaining("migration 001.sql failed"),
      );
      h.executor.disabled.delete("dst");
      const s3 = h.emit("src", 3);
      expect(h.executor.of("dst").map((call) => call.request.trigger.signals)).toEqual([[s3]]);
    });

    it("reports a compute in flight as running", async () => {
      h = new ReflexHarness(WORKSPACE);
      h.scheduler.start();
      h.emit("src", 1);
      h.emit("src", 2);
      expect(h.scheduler.senseStatus("dst")).toMatchObject({ running: true, pending: 1 });
      h.executor.current("dst").settle();
      await h.flush();
      h.executor.current("dst").settle();
      await h.flush();
      expect(h.scheduler.senseStatus("dst")).toMatchObject({
        running: false,
        pending: 0,
        computes: 2,
      });
    });
  });
});
