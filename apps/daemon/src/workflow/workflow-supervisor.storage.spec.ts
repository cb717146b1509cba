import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type FakeWorkflowWorker,
  launchOf,
  SupervisorHarness,
  workflowConfig,
} from "./__fixtures__/fake-workflow-workers.js";
import { WorkflowSupervisor } from "./workflow-supervisor.js";

let h: SupervisorHarness;

beforeEach(() => {
  h = new SupervisorHarness();
});
afterEach(async () => {
  await h.close();
});

/** A supervisor with one run dispatched to its worker. */
async function runningOne(): Promise<{
  supervisor: WorkflowSupervisor;
  runId: string;
  worker: FakeWorkflowWorker;
}> {
  const supervisor = h.supervisor();
  await supervisor.start();
  const { runId } = await supervisor.launch(launchOf());
  const worker = h.workers.last;
  await expect.poll(() => worker.runs.length).toBe(1);
  return { supervisor, runId, worker };
}

describe(`${WorkflowSupervisor.name} while the store cannot be written`, () => {
  it("acks committed rounds, holds the run's end, and records both once the store can be written", async () => {
    const { runId, worker } = await runningOne();

    h.runStore.full = true;
    // The message itself is durable (the log commits), so the round is acked.
    await worker.round(runId, 1);
    expect(h.runStore.messages(runId)).toHaveLength(2);
    worker.end(runId, { status: "completed", endReason: "end", rounds: 1 });
    await expect.poll(() => h.runStore.refused).toBeGreaterThanOrEqual(3);
    expect(h.status(runId)).toBe("started");
    expect(h.ended).toEqual([]);
    expect(h.events.errors).toContain(
      `round 1 of run ${runId} could not be recorded: database or disk is full; retrying`,
    );

    h.runStore.full = false;
    await expect.poll(() => h.status(runId)).toBe("completed");
    expect(h.runStore.get(runId)).toMatchObject({ rounds: 1, endReason: "end" });
    expect(h.ended.map((run) => run.runId)).toEqual([runId]);
    expect(await h.rowTypes(runId)).toEqual([
      "workflow.started",
      "message:0",
      "message:1",
      "workflow.completed",
    ]);
  });

  it("starts the next queued run only once the store can be written", async () => {
    const supervisor = h.supervisor(workflowConfig({ concurrency: 1 }));
    await supervisor.start();
    const first = await supervisor.launch(launchOf());
    const second = await supervisor.launch(launchOf({ prompt: "second" }));
    expect(second.status).toBe("queued");
    const worker = h.workers.last;
    await expect.poll(() => worker.runs.length).toBe(1);

    h.runStore.full = true;
    worker.end(first.runId, { status: "completed", endReason: "end", rounds: 0 });
    await expect.poll(() => h.runStore.refused).toBeGreaterThanOrEqual(2);
    expect([h.status(first.runId), h.status(second.runId)]).toEqual(["started", "queued"]);
    expect(worker.runs).toHaveLength(1);

    h.runStore.full = false;
    await expect
      .poll(() => worker.runs.map((run) => run.runId))
      .toEqual([first.runId, second.runId]);
    expect([h.status(first.runId), h.status(second.runId)]).toEqual(["completed", "started"]);
    expect(worker.runs[1].messages[0]).toMatchObject({ kind: "start", prompt: "second" });
  });

  it("resumes a run whose worker died once its resume can be counted", async () => {
    const { runId, worker: first } = await runningOne();
    await first.round(runId, 1);

    h.runStore.full = true;
    first.die();
    await expect.poll(() => h.workers.created.length).toBe(2);
    await expect.poll(() => h.runStore.refused).toBeGreaterThanOrEqual(2);
    const second = h.workers.last;
    expect(second.runs).toEqual([]);

    h.runStore.full = false;
    await expect.poll(() => second.runs.length).toBe(1);
    expect(second.runs[0].messages.map((message) => message.kind)).toEqual(["start", "role"]);
    expect(h.runStore.get(runId)).toMatchObject({ status: "started", resumes: 1, rounds: 1 });
  });

  it("says at shutdown which writes it could not make, and leaves the run for the next start", async () => {
    const { supervisor, runId, worker } = await runningOne();

    h.runStore.full = true;
    worker.end(runId, { status: "completed", endReason: "end", rounds: 0 });
    await expect.poll(() => h.runStore.refused).toBeGreaterThanOrEqual(1);
    await supervisor.stop("the daemon is shutting down");
    expect(h.status(runId)).toBe("started");
    expect(h.events.errors.at(-1)).toBe(
      `could not record the end of run ${runId} (completed) before stopping: the store cannot ` +
        `be written. The runs stay as last recorded; the next start takes them up again`,
    );
    // Nothing retries after the stop.
    const refused = h.runStore.refused;
    h.runStore.full = false;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.runStore.refused).toBe(refused);
    expect(h.status(runId)).toBe("started");
  });
});
