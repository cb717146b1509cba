import { newRunId } from "@nerve/store/reader";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  launchOf,
  SupervisorHarness,
  workflowConfig,
} from "./__fixtures__/fake-workflow-workers.js";
import type { ClusterRunLaunch } from "./cluster-placement.js";
import { WorkflowRuns } from "./workflow-runs.js";

let h: SupervisorHarness;

beforeEach(() => {
  h = new SupervisorHarness();
});
afterEach(async () => {
  await h.close();
});

/** A run as the cluster's queue hands it over: under the id its launching daemon gave it. */
function taken(overrides: Partial<ClusterRunLaunch> = {}): ClusterRunLaunch {
  return { ...launchOf({ source: "node:a/cli" }), runId: newRunId(Date.now()), ...overrides };
}

// WorkflowRuns.take, through the supervisor that owns the workflow's runs (as WorkflowManager
// calls it for a run of the cluster's queue).
describe(`${WorkflowRuns.name}.take`, () => {
  it("records the run started under the id it was given, commits its start, then dispatches it", async () => {
    const supervisor = h.supervisor(workflowConfig({ placement: "cluster" }));
    await supervisor.start();
    const launch = taken();
    supervisor.take(launch);
    const worker = h.workers.last;
    await expect.poll(() => worker.runs.length).toBe(1);
    expect(worker.runs[0].runId).toBe(launch.runId);
    expect(worker.runs[0].messages).toEqual([
      expect.objectContaining({ kind: "start", prompt: "disk is full", maxRounds: 5 }),
    ]);
    expect(h.runStore.get(launch.runId)).toMatchObject({
      status: "started",
      source: "node:a/cli",
      maxRounds: 5,
    });
    expect(h.runStore.messages(launch.runId)).toHaveLength(1);

    await worker.round(launch.runId, 1);
    worker.end(launch.runId, { status: "completed", endReason: "end", rounds: 1 });
    await expect.poll(() => h.status(launch.runId)).toBe("completed");
    expect(h.ended.map((run) => run.runId)).toEqual([launch.runId]);
    expect(await h.rowTypes(launch.runId)).toEqual([
      "workflow.started",
      "message:0",
      "message:1",
      "workflow.completed",
    ]);
  });

  it("ignores a second delivery of a run it is running", async () => {
    const supervisor = h.supervisor(workflowConfig({ concurrency: 2 }));
    await supervisor.start();
    const launch = taken();
    supervisor.take(launch);
    supervisor.take(launch);
    const worker = h.workers.last;
    await expect.poll(() => worker.runs.length).toBe(1);
    expect(supervisor.freeSlots()).toBe(1);
    expect(h.runStore.list({ all: true })).toHaveLength(1);
  });

  it("reports a run it already ended as ended again, and does not run it twice", async () => {
    const supervisor = h.supervisor();
    await supervisor.start();
    const launch = taken();
    supervisor.take(launch);
    const worker = h.workers.last;
    await expect.poll(() => worker.runs.length).toBe(1);
    worker.end(launch.runId, { status: "completed", endReason: "end", rounds: 0 });
    await expect.poll(() => h.ended.length).toBe(1);

    // Its queue message came back (the ack was lost): its end is told again, for the ack.
    supervisor.take(launch);
    expect(h.ended.map((run) => [run.runId, run.status])).toEqual([
      [launch.runId, "completed"],
      [launch.runId, "completed"],
    ]);
    expect(worker.runs).toHaveLength(1);
    expect(supervisor.freeSlots()).toBe(1);
  });

  it("resumes a run a previous daemon left started from its committed rounds", async () => {
    const before = h.supervisor();
    await before.start();
    const launch = taken();
    before.take(launch);
    const first = h.workers.last;
    await expect.poll(() => first.runs.length).toBe(1);
    await first.round(launch.runId, 1);
    await before.stop("the daemon is shutting down");
    expect(h.status(launch.runId)).toBe("started");

    // The next daemon parks it at start; the queue hands it back here.
    const after = h.supervisor();
    await after.start();
    after.take(launch);
    const second = h.workers.last;
    expect(second).not.toBe(first);
    await expect.poll(() => second.runs.length).toBe(1);
    expect(second.runs[0].runId).toBe(launch.runId);
    expect(second.runs[0].messages.map((m) => m.kind)).toEqual(["start", "role"]);

    await second.round(launch.runId, 2);
    second.end(launch.runId, { status: "completed", endReason: "end", rounds: 2 });
    await expect.poll(() => h.status(launch.runId)).toBe("completed");
    // Round 1 once, round 2 once: nothing committed twice across the handover.
    expect((await h.rowTypes(launch.runId)).filter((type) => type.startsWith("message"))).toEqual([
      "message:0",
      "message:1",
      "message:2",
    ]);
  });

  it("offers as many slots as the concurrency leaves, and none before a worker is ready", async () => {
    h.workers.autoReady = false;
    const supervisor = h.supervisor(workflowConfig({ concurrency: 3 }));
    const started = supervisor.start();
    await expect.poll(() => h.workers.created.length).toBe(1);
    expect(supervisor.freeSlots()).toBe(0);
    h.workers.last.becomeReady();
    await started;
    expect(supervisor.freeSlots()).toBe(3);
    supervisor.take(taken());
    supervisor.take(taken());
    expect(supervisor.freeSlots()).toBe(1);
    // A local launch takes a slot too.
    await supervisor.launch(launchOf());
    expect(supervisor.freeSlots()).toBe(0);
  });
});
