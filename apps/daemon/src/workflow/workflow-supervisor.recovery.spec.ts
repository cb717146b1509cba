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

/** Waits until a new worker exists and has been given `count` runs. */
async function nextWorker(after: FakeWorkflowWorker, count = 1): Promise<FakeWorkflowWorker> {
  await expect
    .poll(() => h.workers.last !== after && h.workers.last.runs.length >= count)
    .toBe(true);
  return h.workers.last;
}

describe(WorkflowSupervisor.name, () => {
  describe("worker crashes", () => {
    it("records the crash and resumes the run on a new worker after its last committed round", async () => {
      const supervisor = h.supervisor();
      await supervisor.start();
      const { runId } = await supervisor.launch(launchOf());
      const first = h.workers.last;
      await expect.poll(() => first.runs.length).toBe(1);
      await first.round(runId, 1);
      first.die();

      const second = await nextWorker(first);
      expect(second.runs[0].runId).toBe(runId);
      expect(second.runs[0].messages.map((m) => m.kind)).toEqual(["start", "role"]);
      expect(h.runStore.get(runId)).toMatchObject({ status: "started", resumes: 1 });
      const crashed = h.logStore.query({ refId: runId, type: "workflow.crashed" });
      expect(crashed[0].payload).toMatchObject({ final: false, resumes: 0 });
      expect(String((crashed[0].payload as { error: string }).error)).toMatch(
        /was killed by SIGKILL/,
      );

      await second.round(runId, 2);
      second.end(runId, { status: "completed", endReason: "end", rounds: 2 });
      await expect.poll(() => h.status(runId)).toBe("completed");
      // Round 1 once, round 2 once: exactly-once persistence across the crash.
      expect((await h.rowTypes(runId)).filter((type) => type.startsWith("message"))).toEqual([
        "message:0",
        "message:1",
        "message:2",
      ]);
      expect(await h.rowTypes(runId)).toContain("workflow.resumed");
    });

    it("ends a run crashed when its worker dies under it after three resumes", async () => {
      const supervisor = h.supervisor();
      await supervisor.start();
      const { runId } = await supervisor.launch(launchOf());
      let worker = h.workers.last;
      await expect.poll(() => worker.runs.length).toBe(1);
      for (let resume = 1; resume <= 3; resume++) {
        worker.die();
        worker = await nextWorker(worker);
        expect(h.runStore.get(runId)?.resumes).toBe(resume);
      }
      worker.die();
      await expect.poll(() => h.status(runId)).toBe("crashed");
      expect(h.runStore.get(runId)?.error).toMatch(/resumed 3 times already \(the limit is 3\)/);
    });

    it("stops respawning after five deaths within the window, crashing runs and keeping the queue", async () => {
      // A high resume limit, so that the crash-loop guard is what ends the run.
      const supervisor = h.supervisor(workflowConfig({ concurrency: 1 }), { resumeLimit: 10 });
      await supervisor.start();
      const inFlight = await supervisor.launch(launchOf());
      const queued = await supervisor.launch(launchOf());
      let worker = h.workers.last;
      for (let death = 1; death < 5; death++) {
        await expect.poll(() => worker.runs.length).toBe(1);
        worker.die();
        worker = await nextWorker(worker);
      }
      worker.die();
      await expect.poll(() => supervisor.state).toBe("disabled");
      await expect.poll(() => h.status(inFlight.runId)).toBe("crashed");
      expect(h.status(queued.runId)).toBe("queued");
      expect(supervisor.health()).toMatchObject({
        pid: null,
        active: 0,
        queued: 1,
        disabled: true,
      });
      expect(h.events.exits.at(-1)).toMatchObject({ disabled: true });
      const workers = h.workers.created.length;
      // A launch while disabled waits too.
      expect((await supervisor.launch(launchOf())).status).toBe("queued");
      expect(h.workers.created.length).toBe(workers);

      // Files changed: a new chance, and the queue starts.
      await supervisor.reload("files of workflow cleanup changed");
      expect(supervisor.state).toBe("ready");
      await expect.poll(() => h.status(queued.runId)).toBe("started");
    });
  });

  describe("hot reload", () => {
    it("lets the old worker finish its run while the new one takes the queue", async () => {
      const supervisor = h.supervisor(workflowConfig({ concurrency: 2 }));
      await supervisor.start();
      const old = h.workers.last;
      const a = await supervisor.launch(launchOf());
      await expect.poll(() => old.runs.length).toBe(1);
      await supervisor.reload("files of workflow cleanup changed");
      const fresh = h.workers.last;
      expect(fresh).not.toBe(old);
      expect(h.compiler.compiles).toBe(2);

      const b = await supervisor.launch(launchOf());
      await expect.poll(() => fresh.runs.map((run) => run.runId)).toEqual([b.runId]);
      expect(old.stopped).toBeNull();
      await old.round(a.runId, 1);
      old.end(a.runId, { status: "completed", endReason: "end", rounds: 1 });
      await expect.poll(() => h.status(a.runId)).toBe("completed");
      // No run left on it: stopped without waiting for the grace.
      await expect.poll(() => old.stopped).toMatch(/files of workflow cleanup changed/);
    });

    it("ends the old worker's runs interrupted when its grace is over", async () => {
      const supervisor = h.supervisor(workflowConfig(), { retireGraceMs: 20 });
      await supervisor.start();
      const old = h.workers.last;
      const { runId } = await supervisor.launch(launchOf());
      await expect.poll(() => old.runs.length).toBe(1);
      await supervisor.reload("files of workflow cleanup changed");
      await expect.poll(() => h.status(runId)).toBe("interrupted");
      expect(old.stopped).not.toBeNull();
      expect(h.runStore.get(runId)?.error).toMatch(/did not finish the run within 20 ms/);
      // A late round of the old worker is not committed.
      void old.round(runId, 1);
      expect(h.runStore.messages(runId)).toHaveLength(1);
    });
  });

  describe("a broken definition", () => {
    it("keeps runs waiting until the files are fixed", async () => {
      h.compiler.failWith = 'Expected ";" but found "}"';
      const supervisor = h.supervisor();
      await supervisor.start();
      expect(supervisor.state).toBe("broken");
      expect(h.events.unavailableMessages[0]).toMatch(
        /workflow cleanup does not compile: workflows\/cleanup\/index.ts:1:1: Expected/,
      );
      const { runId, status } = await supervisor.launch(launchOf());
      expect(status).toBe("queued");
      expect(supervisor.health().disabled).toBe(true);

      h.compiler.failWith = null;
      await supervisor.reload("files of workflow cleanup changed");
      await expect.poll(() => h.workers.last.runs.map((run) => run.runId)).toEqual([runId]);
    });

    it("does not respawn a worker whose definition failed to load", async () => {
      h.workers.autoReady = false;
      const supervisor = h.supervisor();
      const starting = supervisor.start();
      await expect.poll(() => h.workers.created.length).toBe(1);
      h.workers.last.failInit(
        "workflow cleanup cannot be loaded from workflows/cleanup/index.ts: it exports no workflow definition",
      );
      await starting;
      expect(supervisor.state).toBe("broken");
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(h.workers.created.length).toBe(1);
      expect(supervisor.state).toBe("broken");
    });
  });

  describe("daemon restart", () => {
    it("resumes runs left started and queues runs left queued, oldest first", async () => {
      const before = h.supervisor(workflowConfig({ concurrency: 1 }));
      await before.start();
      const started = await before.launch(launchOf({ prompt: "first" }));
      const queuedA = await before.launch(launchOf({ prompt: "second" }));
      const queuedB = await before.launch(launchOf({ prompt: "third" }));
      const oldWorker = h.workers.last;
      await expect.poll(() => oldWorker.runs.length).toBe(1);
      await oldWorker.round(started.runId, 1);
      await before.stop("the daemon is shutting down");

      const after = h.supervisor(workflowConfig({ concurrency: 1 }));
      after.adopt(h.runStore.listActive());
      await after.start();
      const worker = h.workers.last;
      await expect.poll(() => worker.runs.length).toBe(1);
      expect(worker.runs[0]).toMatchObject({ runId: started.runId });
      expect(worker.runs[0].messages.map((m) => m.kind)).toEqual(["start", "role"]);
      expect(h.runStore.get(started.runId)?.resumes).toBe(1);
      expect(after.health()).toMatchObject({ active: 1, queued: 2 });

      worker.end(started.runId, { status: "completed", endReason: "end", rounds: 1 });
      await expect
        .poll(() => worker.runs.map((run) => run.runId))
        .toEqual([started.runId, queuedA.runId]);
      // A queued run that never ran starts from its stored start message, not as a resume.
      expect(worker.runs[1].messages).toEqual([
        expect.objectContaining({ kind: "start", prompt: "second" }),
      ]);
      expect(h.runStore.get(queuedA.runId)?.resumes).toBe(0);
      expect(h.status(queuedB.runId)).toBe("queued");
    });

    it("ends a run crashed at start when it was resumed three times already", async () => {
      const created = h.runStore.create({
        workflow: "cleanup",
        status: "started",
        maxRounds: 5,
        source: "cli",
      });
      for (let i = 0; i < 3; i++) h.runStore.incrementResumes(created.runId);
      const supervisor = h.supervisor();
      supervisor.adopt(h.runStore.listActive());
      await expect.poll(() => h.status(created.runId)).toBe("crashed");
    });

    it("rebuilds a start message that a crash lost before it was committed", async () => {
      const created = h.runStore.create({
        workflow: "cleanup",
        status: "started",
        prompt: "lost",
        payload: { n: 1 },
        maxRounds: 4,
        source: "cli",
      });
      const supervisor = h.supervisor();
      supervisor.adopt(h.runStore.listActive());
      await supervisor.start();
      await expect.poll(() => h.workers.last.runs.length).toBe(1);
      expect(h.workers.last.runs[0].messages).toEqual([
        expect.objectContaining({ kind: "start", prompt: "lost", payload: { n: 1 }, maxRounds: 4 }),
      ]);
      await expect.poll(() => h.runStore.messages(created.runId).length).toBe(1);
    });
  });
});
