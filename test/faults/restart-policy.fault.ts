import type { CompiledSense } from "@nerve/core";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_RESTART_POLICY } from "../../apps/daemon/src/process/restart-tracker.js";
import { StartGate } from "../../apps/daemon/src/process/start-gate.js";
import {
  FakeCompiler,
  FakeWorkerFactory,
  RecordingReporter,
} from "../../apps/daemon/src/sense/__fixtures__/fake-workers.js";
import { GroupSupervisor } from "../../apps/daemon/src/sense/group-supervisor.js";
import {
  launchOf,
  SupervisorHarness,
  workflowConfig,
} from "../../apps/daemon/src/workflow/__fixtures__/fake-workflow-workers.js";
import { DEFAULT_WORKFLOW_RESTART_POLICY } from "../../apps/daemon/src/workflow/workflow-engine.options.js";
import { waitFor } from "../support/workspace.js";
import {
  ask,
  healthOf,
  reapDaemons,
  startDaemonProcess,
  stopDaemon,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { faultWorkspace } from "./support/workspaces.js";

/**
 * The restart policy (SPEC §5, §6) on a compressed clock: every delay is asserted by moving
 * fake time to one millisecond before it and then onto it, never by waiting. setImmediate stays
 * real: the log store commits on it.
 */
const FAKED: ("setTimeout" | "clearTimeout" | "setInterval" | "clearInterval" | "Date")[] = [
  "setTimeout",
  "clearTimeout",
  "setInterval",
  "clearInterval",
  "Date",
];

const advance = (ms: number): Promise<void> =>
  vi.advanceTimersByTimeAsync(ms).then(() => undefined);

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

const manual = { kind: "manual" as const, signals: [] };

describe("the restart policy of sense groups, on a fake clock", () => {
  let workers: FakeWorkerFactory;
  let reporter: RecordingReporter;
  let group: GroupSupervisor;

  beforeEach(async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: FAKED });
    workers = new FakeWorkerFactory();
    reporter = new RecordingReporter();
    group = new GroupSupervisor("system", [sense("cpu")], {
      root: "/ws",
      compiler: new FakeCompiler(),
      workers,
      reporter,
      clock: { now: () => Date.now() },
      policy: DEFAULT_RESTART_POLICY,
      retireGraceMs: 5_000,
      starts: new StartGate(),
    });
    await group.start();
  });

  afterEach(async () => {
    await group.stop("test over");
    vi.useRealTimers();
  });

  /** Kills the current worker; returns the restart delay the policy chose (or "disabled"). */
  function die(): number | "disabled" {
    workers.last.die({ signal: "SIGKILL", code: null });
    const next = reporter.exits.at(-1)!.next;
    return "restartInMs" in next ? next.restartInMs : "disabled";
  }

  /** Asserts the restart happens exactly `delay` ms after the death, not a millisecond sooner. */
  async function expectRestartAfter(delay: number): Promise<void> {
    const count = workers.workers.length;
    await advance(delay - 1);
    expect(workers.workers.length, `no restart before ${delay} ms`).toBe(count);
    await advance(1);
    expect(workers.workers.length, `a restart at ${delay} ms`).toBe(count + 1);
    await advance(0);
    expect(group.state).toBe("running");
  }

  it("doubles the delay from 250 ms per death and disables the group at the fifth in 60 s", async (context) => {
    for (const delay of [250, 500, 1_000, 2_000]) {
      expect(die()).toBe(delay);
      await expectRestartAfter(delay);
    }
    expect(die()).toBe("disabled");
    tally(context, { faults: 5, restarts: 4 });
    expect(reporter.exits.at(-1)!.next).toMatchObject({
      disabled: true,
      reason: "crash loop: 5 exits in 60 s; fix the code and save, or change nerve.yaml",
    });
    // Disabled means disabled: no restart however long one waits, and computes are refused.
    await advance(10 * 60_000);
    expect(workers.workers).toHaveLength(5);
    expect(group.health()).toMatchObject({ disabled: true, pid: null, restarts: 4 });
    const outcome = await group.compute("cpu", manual, 1_000);
    expect(outcome).toMatchObject({ ok: false, kind: "unavailable" });
  });

  it("caps the delay at 10 s and never disables a worker that dies less than five times a minute", async (context) => {
    const delays: (number | "disabled")[] = [];
    for (let death = 0; death < 12; death += 1) {
      delays.push(die());
      // 15.1 s between deaths: at most four fall in any 60 s window.
      await advance(15_100);
      expect(group.state).toBe("running");
    }
    tally(context, { faults: 12, restarts: 12 });
    expect(delays).toEqual([
      250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000,
    ]);
    expect(group.health().disabled).toBe(false);
  });

  it("goes back to 250 ms after a worker that ran 30 s", async (context) => {
    expect(die()).toBe(250);
    await expectRestartAfter(250);
    expect(die()).toBe(500);
    await expectRestartAfter(500);
    await advance(DEFAULT_RESTART_POLICY.stableAfterMs);
    expect(die()).toBe(250);
    await expectRestartAfter(250);
    tally(context, { faults: 3, restarts: 3 });
  });

  it("comes back from a crash loop when its files change, with the delays starting over", async (context) => {
    for (let death = 0; death < 4; death += 1) {
      die();
      await advance(10_000);
    }
    expect(die()).toBe("disabled");
    const before = workers.workers.length;
    await group.reload("files of sense cpu changed", { force: ["cpu"] });
    expect(workers.workers.length).toBe(before + 1);
    expect(group.health().disabled).toBe(false);
    expect((await group.compute("cpu", manual, 1_000)).ok).toBe(true);
    expect(die()).toBe(250);
    await expectRestartAfter(250);
    tally(context, { faults: 6, restarts: 6 });
  });
});

describe("the restart policy of workflow workers, on a fake clock", () => {
  let h: SupervisorHarness;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000, toFake: FAKED });
    h = new SupervisorHarness();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await h.close();
  });

  it("respawns after 100, 200, 400, 800 ms, then stops at the fifth death and keeps the queue until the files change", async (context) => {
    const supervisor = h.supervisor(workflowConfig({ concurrency: 1 }), {
      policy: DEFAULT_WORKFLOW_RESTART_POLICY,
      clock: { now: () => Date.now() },
      resumeLimit: 100,
    });
    await supervisor.start();
    const running = await supervisor.launch(launchOf());
    const queued = await supervisor.launch(launchOf());
    expect(queued.status).toBe("queued");
    for (const delay of [100, 200, 400, 800]) {
      const count = h.workers.created.length;
      h.workers.last.die();
      expect(h.events.exits.at(-1)).toEqual({ restartInMs: delay });
      await advance(delay - 1);
      expect(h.workers.created.length).toBe(count);
      await advance(1);
      expect(h.workers.created.length).toBe(count + 1);
    }
    h.workers.last.die();
    tally(context, { faults: 5, restarts: 4 });
    expect(h.events.exits.at(-1)).toMatchObject({ disabled: true });
    await advance(0);
    await waitFor(() => h.status(running.runId) === "crashed", "the run in flight to end crashed");
    expect(h.status(queued.runId)).toBe("queued");
    await advance(10 * 60_000);
    expect(supervisor.health()).toMatchObject({ disabled: true, pid: null, queued: 1 });

    await supervisor.reload("files of workflow test changed");
    await advance(0);
    await waitFor(
      () => h.workers.last.runs.some((run) => run.runId === queued.runId),
      "the queued run to start",
    );
    expect(supervisor.health().disabled).toBe(false);
    await supervisor.stop("test over");
  });
});

describe("the restart policy in a running daemon", () => {
  afterEach(async () => {
    await reapDaemons();
  });

  it("disables the group of a sense that kills its worker at the fifth death, until its file changes", async (context) => {
    const { root, cleanup } = faultWorkspace({
      "nerve.yaml":
        "senses:\n  exits: { group: fragile }\n  fine: {}\nreflexes:\n  - { kind: sense, sense: fine, interval: 300ms }\n",
      "senses/exits/compute.js": "export const compute = () => process.exit(7);\n",
      "senses/fine/compute.js": "export const compute = () => 1;\n",
    });
    try {
      const daemon = await startDaemonProcess(root);
      const fragile = async () =>
        (await healthOf(root)).groups.find((group) => group.name === "fragile")!;
      for (let death = 1; death <= 5; death += 1) {
        await waitFor(async () => (await fragile()).pid !== null, `worker ${death} to be up`);
        expect((await ask(root, { type: "trigger-sense", sense: "exits" })).ok).toBe(true);
        tally(context, { faults: 1 });
        if (death < 5) {
          await waitFor(async () => (await fragile()).restarts === death, `restart ${death}`);
        }
      }
      await waitFor(async () => (await fragile()).disabled, "the group to be disabled");
      tally(context, { restarts: 4 });
      expect((await healthOf(root)).groups.find((group) => group.name === "default")).toMatchObject(
        { disabled: false },
      );
      // Fixed code: the group runs again.
      writeFileSync(
        join(root, "senses", "exits", "compute.js"),
        "export const compute = () => ({ fixed: true });\n",
      );
      await waitFor(
        async () => !(await fragile()).disabled && (await fragile()).pid !== null,
        "the group to be enabled again",
        30_000,
      );
      expect((await ask(root, { type: "trigger-sense", sense: "exits" })).ok).toBe(true);
      expect((await healthOf(root)).pid).toBe(daemon.pid);
      await stopDaemon(daemon);
    } finally {
      cleanup();
    }
  });
});
