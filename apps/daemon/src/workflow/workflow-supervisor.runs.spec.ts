import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
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

describe(WorkflowSupervisor.name, () => {
  describe("a run", () => {
    it("commits the start message before the worker gets the run, then each round before its ack", async () => {
      const supervisor = h.supervisor();
      await supervisor.start();
      const { runId, status } = await supervisor.launch(launchOf({ maxRounds: 3 }));
      expect(status).toBe("started");
      const worker = h.workers.last;
      await expect.poll(() => worker.runs.length).toBe(1);
      expect(worker.runs[0].messages).toEqual([
        expect.objectContaining({
          kind: "start",
          prompt: "disk is full",
          payload: { disk: "/var" },
          maxRounds: 3,
        }),
      ]);
      // Durable before the worker could see it: readable through another path at once.
      expect(h.runStore.messages(runId)).toHaveLength(1);

      await worker.round(runId, 1);
      expect(h.runStore.messages(runId)).toHaveLength(2);
      expect(h.runStore.get(runId)?.rounds).toBe(1);
      await worker.round(runId, 2);
      worker.end(runId, { status: "completed", endReason: "end", rounds: 2 });

      await expect.poll(() => h.status(runId)).toBe("completed");
      const record = h.runStore.get(runId)!;
      expect(record).toMatchObject({ endReason: "end", rounds: 2, source: "cli" });
      expect(await h.rowTypes(runId)).toEqual([
        "workflow.started",
        "message:0",
        "message:1",
        "message:2",
        "workflow.completed",
      ]);
      expect(h.ended.map((run) => run.runId)).toEqual([runId]);
    });

    it("commits a round the worker sends twice only once", async () => {
      const supervisor = h.supervisor();
      await supervisor.start();
      const { runId } = await supervisor.launch(launchOf());
      const worker = h.workers.last;
      await expect.poll(() => worker.runs.length).toBe(1);
      await worker.round(runId, 1);
      await worker.round(runId, 1);
      expect(h.runStore.messages(runId)).toHaveLength(2);
    });

    it("records a failed run with the error the worker reported", async () => {
      const supervisor = h.supervisor();
      await supervisor.start();
      const { runId } = await supervisor.launch(launchOf());
      const worker = h.workers.last;
      await expect.poll(() => worker.runs.length).toBe(1);
      worker.end(runId, {
        status: "failed",
        rounds: 0,
        error: { name: "RoleError", message: "role writer threw in round 1: boom" },
      });
      await expect.poll(() => h.status(runId)).toBe("failed");
      expect(h.runStore.get(runId)?.error).toBe("role writer threw in round 1: boom");
    });

    it("waits for the worker when launched before it is ready", async () => {
      h.workers.autoReady = false;
      const supervisor = h.supervisor();
      const starting = supervisor.start();
      const { runId, status } = await supervisor.launch(launchOf());
      expect(status).toBe("started");
      await expect.poll(() => h.workers.created.length).toBe(1);
      expect(h.workers.last.runs).toEqual([]);
      h.workers.last.becomeReady();
      await starting;
      await expect.poll(() => h.workers.last.runs.map((run) => run.runId)).toEqual([runId]);
    });
  });

  describe("concurrency", () => {
    it("drops launches beyond concurrency with overflow drop", async () => {
      const supervisor = h.supervisor(workflowConfig({ concurrency: 2, overflow: "drop" }));
      await supervisor.start();
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await supervisor.launch(launchOf()));
      expect(results.map((result) => result.status)).toEqual([
        "started",
        "started",
        "dropped",
        "dropped",
      ]);
      expect(h.status(results[2].runId)).toBe("dropped");
      const dropped = h.logStore.query({ refId: results[2].runId, type: "workflow.dropped" });
      expect(dropped[0].payload).toMatchObject({ reason: "concurrency" });
      expect(supervisor.health()).toMatchObject({ active: 2, queued: 0, disabled: false });
    });

    it("evicts the oldest queued run when the queue is full, and starts the queue in order", async () => {
      const supervisor = h.supervisor(workflowConfig({ concurrency: 1, maxQueue: 2 }));
      await supervisor.start();
      const ids: string[] = [];
      const statuses: string[] = [];
      for (let i = 0; i < 5; i++) {
        const result = await supervisor.launch(launchOf({ prompt: `p${i}` }));
        ids.push(result.runId);
        statuses.push(result.status);
      }
      expect(statuses).toEqual(["started", "queued", "queued", "queued", "queued"]);
      // The queue keeps the two newest: 1 was evicted by 3, 2 by 4.
      expect(ids.map((id) => h.status(id))).toEqual([
        "started",
        "dropped",
        "dropped",
        "queued",
        "queued",
      ]);
      const evicted = h.logStore.query({ refId: ids[1], type: "workflow.dropped" });
      expect(evicted[0].payload).toMatchObject({ reason: "evicted", by: ids[3] });
      expect(supervisor.health()).toMatchObject({ active: 1, queued: 2 });

      const worker = h.workers.last;
      await expect.poll(() => worker.runs.length).toBe(1);
      worker.end(ids[0], { status: "completed", endReason: "end", rounds: 0 });
      await expect.poll(() => worker.runs.map((run) => run.runId)).toEqual([ids[0], ids[3]]);
      expect(h.status(ids[3])).toBe("started");
      expect(worker.runs[1].messages[0]).toMatchObject({ kind: "start", prompt: "p3" });
      worker.end(ids[3], { status: "completed", endReason: "end", rounds: 0 });
      await expect
        .poll(() => worker.runs.map((run) => run.runId))
        .toEqual([ids[0], ids[3], ids[4]]);
    });

    it("starts queued runs when concurrency grows", async () => {
      const supervisor = h.supervisor(workflowConfig({ concurrency: 1 }));
      await supervisor.start();
      await supervisor.launch(launchOf());
      const queued = await supervisor.launch(launchOf());
      expect(queued.status).toBe("queued");
      await supervisor.reconfigure(workflowConfig({ concurrency: 2 }));
      await expect.poll(() => h.status(queued.runId)).toBe("started");
      await expect.poll(() => h.workers.last.runs.length).toBe(2);
    });
  });

  describe("shutdown", () => {
    it("leaves runs in flight started with their committed rounds, and queues later launches", async () => {
      const supervisor = h.supervisor();
      await supervisor.start();
      const { runId } = await supervisor.launch(launchOf());
      const worker = h.workers.last;
      await expect.poll(() => worker.runs.length).toBe(1);
      await worker.round(runId, 1);
      await supervisor.stop("the daemon is shutting down");
      expect(worker.stopped).toBe("the daemon is shutting down");
      expect(h.status(runId)).toBe("started");
      expect(h.runStore.get(runId)?.rounds).toBe(1);
      const late = await supervisor.launch(launchOf());
      expect(late.status).toBe("queued");
    });
  });
});
