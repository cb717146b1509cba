import type { CompiledSense } from "@nerve/core";
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RESTART_POLICY } from "../process/restart-tracker.js";
import { StartGate } from "../process/start-gate.js";
import { FakeCompiler, FakeWorkerFactory, RecordingReporter } from "./__fixtures__/fake-workers.js";
import { manual } from "./__fixtures__/workspace.js";
import { GroupSupervisor } from "./group-supervisor.js";

function sense(name: string, group: string): CompiledSense {
  return {
    name,
    group,
    throttleMs: 0,
    timeoutMs: 30_000,
    gracePeriodMs: 0,
    computeFile: `senses/${name}/compute.ts`,
  };
}

/** Lets every settled promise run its callbacks. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(`${GroupSupervisor.name} worker starts`, () => {
  let workers: FakeWorkerFactory;
  let gate: StartGate;
  let groups: GroupSupervisor[];

  beforeEach(() => {
    workers = new FakeWorkerFactory();
    workers.autoReady = false;
    gate = new StartGate(1);
    const deps = {
      root: "/ws",
      compiler: new FakeCompiler(),
      workers,
      reporter: new RecordingReporter(),
      clock: { now: () => Date.now() },
      policy: DEFAULT_RESTART_POLICY,
      retireGraceMs: 5_000,
      starts: gate,
    };
    groups = ["a", "b"].map((name) => new GroupSupervisor(name, [sense(`${name}1`, name)], deps));
  });

  it("take turns: a group's worker is forked once the one before it is ready", async () => {
    const started = groups.map((group) => group.start());
    const waiting = groups[1].compute("b1", manual, 1_000);
    await settle();
    expect(workers.workers.map((worker) => worker.started)).toEqual([true, false]);
    expect(groups.map((group) => group.state)).toEqual(["starting", "starting"]);
    workers.workers[0].becomeReady();
    await settle();
    expect(workers.workers.map((worker) => worker.started)).toEqual([true, true]);
    expect(groups[0].state).toBe("running");
    workers.workers[1].becomeReady();
    await Promise.all(started);
    expect((await waiting).ok).toBe(true);
    expect(workers.workers[1].computes).toEqual(["b1"]);
  });

  it("a group stopped while it waits for its turn never forks, and hands no turn on", async () => {
    const started = groups.map((group) => group.start());
    await settle();
    await groups[1].stop("the daemon is shutting down");
    workers.workers[0].becomeReady();
    await Promise.all(started);
    expect(workers.workers.map((worker) => worker.started)).toEqual([true, false]);
    expect(groups.map((group) => group.state)).toEqual(["running", "stopped"]);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it("a reload while it waits replaces the waiting worker: only the new one is forked", async () => {
    const started = groups.map((group) => group.start());
    await settle();
    const reloaded = groups[1].reload("files of sense b1 changed", { force: ["b1"] });
    workers.workers[0].becomeReady();
    await settle();
    expect(workers.workers.map((worker) => worker.started)).toEqual([true, false, true]);
    workers.workers[2].becomeReady();
    await Promise.all([...started, reloaded]);
    expect(groups[1].state).toBe("running");
    expect(groups[1].health().pid).toBe(workers.workers[2].pid);
  });
});
