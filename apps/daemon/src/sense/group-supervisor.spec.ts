import type { CompiledSense } from "@nerve/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_RESTART_POLICY } from "../process/restart-tracker.js";
import { StartGate } from "../process/start-gate.js";
import { FakeCompiler, FakeWorkerFactory, RecordingReporter } from "./__fixtures__/fake-workers.js";
import { manual } from "./__fixtures__/workspace.js";
import { GroupSupervisor } from "./group-supervisor.js";
import type { ComputeOutcome } from "./sense-runtime.types.js";

const CRASH_LOOP = "crash loop: 5 exits in 60 s; fix the code and save, or change nerve.yaml";

function sense(name: string): CompiledSense {
  return {
    name,
    group: "system",
    throttleMs: 0,
    timeoutMs: 30_000,
    gracePeriodMs: 0,
    computeFile: `senses/${name}/compute.ts`,
  };
}

function messageOf(outcome: ComputeOutcome): string {
  return outcome.ok ? "ok" : `${outcome.kind}: ${outcome.error.message}`;
}

describe(GroupSupervisor.name, () => {
  let workers: FakeWorkerFactory;
  let compiler: FakeCompiler;
  let reporter: RecordingReporter;
  let group: GroupSupervisor;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    workers = new FakeWorkerFactory();
    compiler = new FakeCompiler();
    reporter = new RecordingReporter();
    group = new GroupSupervisor("system", [sense("cpu"), sense("disk")], {
      root: "/ws",
      compiler,
      workers,
      reporter,
      clock: { now: () => Date.now() },
      policy: DEFAULT_RESTART_POLICY,
      retireGraceMs: 5_000,
      starts: new StartGate(),
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Advances fake time, letting the promises that timers resolve run. */
  const advance = async (ms: number): Promise<void> => {
    await vi.advanceTimersByTimeAsync(ms);
  };

  describe("starting", () => {
    it("queues computes until the worker is ready, then runs them", async () => {
      workers.autoReady = false;
      const outcome = group.compute("cpu", manual, 1_000);
      const started = group.start();
      await advance(0);
      expect(group.state).toBe("starting");
      expect(workers.last.computes).toEqual([]);
      workers.last.becomeReady();
      await started;
      expect((await outcome).ok).toBe(true);
      expect(workers.last.computes).toEqual(["cpu"]);
      expect(group.health()).toEqual({
        name: "system",
        pid: workers.last.pid,
        senses: ["cpu", "disk"],
        restarts: 0,
        disabled: false,
        state: "running",
        deaths: 0,
        deathWindowMs: 60_000,
        lastExit: null,
        nextRestartAt: null,
        disabledReason: null,
        reenable: null,
      });
    });

    it("starts the worker without the senses that do not compile, which become unavailable", async () => {
      compiler.broken.add("disk");
      await group.start();
      expect(workers.last.init).toEqual({
        root: "/ws",
        group: "system",
        senses: [
          {
            name: "cpu",
            module: "/build/cpu.mjs",
            source: "senses/cpu/compute.ts",
            migrationsDir: "/ws/senses/cpu/migrations",
          },
        ],
      });
      const reason =
        "sense disk does not compile: senses/disk/compute.ts:1:1: Unexpected end of file";
      expect(group.availability("disk")).toEqual({ disabled: true, reason });
      expect(group.availability("cpu")).toEqual({ disabled: false, reason: null });
      expect(messageOf(await group.compute("disk", manual, 1_000))).toBe(
        `unavailable: sense disk is unavailable: ${reason}`,
      );
      expect(reporter.unavailable).toMatchObject([{ sense: "disk", phase: "compile" }]);
    });

    it("runs no worker when no sense compiles", async () => {
      compiler.broken.add("cpu").add("disk");
      await group.start();
      expect(workers.workers).toEqual([]);
      expect(group.state).toBe("empty");
      expect(group.health().pid).toBeNull();
      expect(messageOf(await group.compute("cpu", manual, 1_000))).toMatch(
        /^unavailable: sense cpu is unavailable: sense cpu does not compile/,
      );
    });

    it("makes senses that failed the worker's init unavailable", async () => {
      workers.initFailures = [
        { sense: "disk", error: { name: "MigrationError", message: "migration 001.sql failed" } },
      ];
      await group.start();
      expect(group.availability("disk")).toEqual({
        disabled: true,
        reason: "migration 001.sql failed",
      });
      expect(reporter.unavailable).toMatchObject([{ sense: "disk", phase: "init" }]);
    });

    it("refuses a sense that is not a member", async () => {
      await group.start();
      expect(messageOf(await group.compute("net", manual, 1_000))).toBe(
        "unavailable: sense net is unavailable: it is not a member of group system",
      );
    });
  });

  describe("restart backoff", () => {
    it("restarts a dead worker after 250 ms, doubling up to 10 s", async () => {
      await group.start();
      const delays: number[] = [];
      for (let death = 0; death < 8; death++) {
        // 20 s of uptime: not stable (30 s), and at most three deaths per 60 s window.
        await advance(20_000);
        workers.last.die();
        const next = reporter.exits.at(-1)?.next;
        if (next === undefined || !("restartInMs" in next)) throw new Error("no restart planned");
        delays.push(next.restartInMs);
        const before = workers.workers.length;
        await advance(next.restartInMs - 1);
        expect(workers.workers.length).toBe(before);
        await advance(1);
        expect(workers.workers.length).toBe(before + 1);
      }
      expect(delays).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
      expect(group.restarts).toBe(8);
      expect(group.health().restarts).toBe(8);
    });

    it("starts again from 250 ms after a worker ran stable for 30 s", async () => {
      await group.start();
      workers.last.die();
      await advance(250);
      workers.last.die();
      await advance(500);
      await advance(30_000);
      workers.last.die();
      expect(reporter.exits.map(({ next }) => next)).toEqual([
        { restartInMs: 250 },
        { restartInMs: 500 },
        { restartInMs: 250 },
      ]);
    });

    it("runs the computes that arrive during the backoff on the restarted worker", async () => {
      await group.start();
      workers.last.die();
      const outcome = group.compute("cpu", manual, 1_000);
      await advance(250);
      expect((await outcome).ok).toBe(true);
      expect(workers.workers[1].computes).toEqual(["cpu"]);
    });
  });

  describe("crash loop", () => {
    async function crashFiveTimes(): Promise<void> {
      await group.start();
      for (let death = 0; death < 5; death++) {
        workers.last.die();
        if (death < 4) await advance(DEFAULT_RESTART_POLICY.initialDelayMs * 2 ** death);
      }
    }

    it("disables the group at the fifth death within 60 s", async () => {
      await crashFiveTimes();
      expect(group.state).toBe("disabled");
      expect(group.health().disabled).toBe(true);
      expect(reporter.exits.at(-1)?.next).toEqual({ disabled: true, reason: CRASH_LOOP });
      expect(group.availability("cpu")).toEqual({
        disabled: true,
        reason: `group system is disabled: ${CRASH_LOOP}`,
      });
      expect(messageOf(await group.compute("cpu", manual, 1_000))).toBe(
        `unavailable: sense cpu is unavailable: group system is disabled: ${CRASH_LOOP}`,
      );
      const created = workers.workers.length;
      await advance(120_000);
      expect(workers.workers.length).toBe(created);
    });

    it("fails the computes that waited for a restart when the group gets disabled", async () => {
      await group.start();
      for (let death = 0; death < 4; death++) {
        workers.last.die();
        await advance(DEFAULT_RESTART_POLICY.initialDelayMs * 2 ** death);
      }
      workers.autoReady = false;
      workers.last.die();
      expect(group.state).toBe("disabled");
      const waiting = group.compute("cpu", manual, 1_000);
      expect(messageOf(await waiting)).toMatch(/crash loop/);
    });

    it("is enabled again by a reload, which forces a recompile of the changed sense", async () => {
      await crashFiveTimes();
      await group.reload("files of sense cpu changed", { force: ["cpu"] });
      expect(group.state).toBe("running");
      expect(group.health().disabled).toBe(false);
      expect(compiler.forced).toEqual(["cpu"]);
      expect((await group.compute("cpu", manual, 1_000)).ok).toBe(true);
    });

    it("does not count deaths older than 60 s", async () => {
      await group.start();
      for (let death = 0; death < 4; death++) {
        workers.last.die();
        await advance(DEFAULT_RESTART_POLICY.initialDelayMs * 2 ** death);
      }
      await advance(60_000);
      workers.last.die();
      expect(group.state).toBe("backoff");
    });
  });

  describe("reload", () => {
    it("starts a worker with the new members and stops the old one", async () => {
      await group.start();
      const old = workers.last;
      await group.reload("nerve.yaml changed its senses", { members: [sense("cpu")] });
      await advance(0);
      expect(old.stopped).toBe("nerve.yaml changed its senses");
      expect(workers.last).not.toBe(old);
      expect(workers.last.init.senses.map((s) => s.name)).toEqual(["cpu"]);
      expect(group.health()).toMatchObject({ pid: workers.last.pid, senses: ["cpu"], restarts: 0 });
      expect(reporter.exits).toMatchObject([
        { info: { reason: "stopped" }, next: { planned: true } },
      ]);
    });
  });

  describe("stop", () => {
    it("stops the worker, restarts nothing and answers later computes as unavailable", async () => {
      await group.start();
      const worker = workers.last;
      await group.stop("the daemon is shutting down", 1_000);
      expect(worker.stopped).toBe("the daemon is shutting down");
      expect(group.state).toBe("stopped");
      expect(reporter.exits).toMatchObject([{ next: { planned: true } }]);
      await advance(60_000);
      expect(workers.workers).toHaveLength(1);
      expect(messageOf(await group.compute("cpu", manual, 1_000))).toBe(
        "unavailable: sense cpu is unavailable: group system is stopping",
      );
    });

    it("cancels a planned restart", async () => {
      await group.start();
      workers.last.die();
      await group.stop("bye");
      await advance(10_000);
      expect(workers.workers).toHaveLength(1);
    });
  });
});
