import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventEmitter2, EventEmitterModule } from "@nestjs/event-emitter";
import { Test, type TestingModule } from "@nestjs/testing";
import { LogStore, RunStore, StoreModule } from "@nerve/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigService } from "../kernel/config.service.js";
import { KernelEvents } from "../kernel/events.js";
import { KernelModule } from "../kernel/kernel.module.js";
import { FakeCompiler, FakeWorkflowWorkers } from "./__fixtures__/fake-workflow-workers.js";
import {
  InvalidMaxRoundsError,
  InvalidRunPayloadError,
  WorkflowEngineStoppedError,
  WorkflowLaunchRejectedError,
} from "./errors/launch.error.js";
import { WorkflowCompiler } from "./workflow-compiler.js";
import { WorkflowWorkerFactory } from "./workflow-host.types.js";
import { UnknownWorkflowError, WorkflowLauncher, type LaunchRequest } from "./workflow-launcher.js";
import { WorkflowManager } from "./workflow-manager.service.js";
import { WorkflowModule } from "./workflow.module.js";

const YAML = "max_rounds: 7\nworkflows:\n  cleanup: {}\n  report:\n    concurrency: 2\n";

function writeWorkspace(root: string, yaml: string): void {
  for (const name of ["cleanup", "report", "extra"]) {
    mkdirSync(join(root, "workflows", name), { recursive: true });
    writeFileSync(join(root, "workflows", name, "index.ts"), "export default {};\n");
  }
  writeFileSync(join(root, "nerve.yaml"), yaml);
}

const request = (overrides: Partial<LaunchRequest> = {}): LaunchRequest => ({
  workflow: "cleanup",
  prompt: "disk is full",
  payload: { disk: "/var" },
  source: "cli",
  causeId: null,
  ...overrides,
});

describe(WorkflowManager.name, () => {
  let root: string;
  let app: TestingModule | undefined;
  let workers: FakeWorkflowWorkers;
  let compiler: FakeCompiler;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "nerve-workflow-manager-"));
    writeWorkspace(root, YAML);
    workers = new FakeWorkflowWorkers();
    compiler = new FakeCompiler();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  async function boot(): Promise<WorkflowManager> {
    app = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true, delimiter: "." }),
        KernelModule.forRoot({ root, ipc: false, watch: false }),
        StoreModule.forRoot({ root }),
        WorkflowModule,
      ],
    })
      // No processes and no esbuild here: the engine's logic against a real store.
      .overrideProvider(WorkflowWorkerFactory)
      .useValue(workers)
      .overrideProvider(WorkflowCompiler)
      .useValue(compiler)
      .compile();
    await app.init();
    return app.get(WorkflowManager);
  }

  describe("launch", () => {
    it("is the daemon's WorkflowLauncher", async () => {
      const manager = await boot();
      expect(app!.get(WorkflowLauncher)).toBe(manager);
    });

    it("starts a run with the config's max_rounds when the launch gives none", async () => {
      const manager = await boot();
      const { runId, status } = await manager.launch(request());
      expect(status).toBe("started");
      expect(manager.get(runId)).toMatchObject({
        maxRounds: 7,
        prompt: "disk is full",
        payload: { disk: "/var" },
      });
      expect(manager.thread(runId).start).toMatchObject({ kind: "start", maxRounds: 7 });
    });

    it("refuses an undeclared workflow", async () => {
      const manager = await boot();
      await expect(manager.launch(request({ workflow: "nope" }))).rejects.toBeInstanceOf(
        UnknownWorkflowError,
      );
    });

    it.each([[0], [10_001], [2.5], [Number.NaN]])(
      "refuses maxRounds %s as a rejected launch, recording nothing",
      async (maxRounds) => {
        const manager = await boot();
        const launch = manager.launch(request({ maxRounds }));
        await expect(launch).rejects.toBeInstanceOf(InvalidMaxRoundsError);
        await expect(launch).rejects.toBeInstanceOf(WorkflowLaunchRejectedError);
        await expect(launch).rejects.toThrow(/maxRounds must be an integer from 1 to 10000/);
        expect(manager.list({ all: true })).toEqual([]);
      },
    );

    it("refuses a payload that is not JSON or over 1 MiB, saying where", async () => {
      const manager = await boot();
      await expect(manager.launch(request({ payload: { n: 1n } }))).rejects.toThrow(
        /the run's payload is not JSON-serialisable: \$\.n is a BigInt/,
      );
      const huge = manager.launch(request({ payload: { text: "x".repeat(1024 * 1024) } }));
      await expect(huge).rejects.toBeInstanceOf(InvalidRunPayloadError);
      await expect(huge).rejects.toThrow(/too large/);
      expect(manager.list({ all: true })).toEqual([]);
    });

    it("keeps a launch that arrives after the drain queued for the next start", async () => {
      const manager = await boot();
      await manager.drain();
      const late = await manager.launch(request());
      expect(late.status).toBe("queued");
      expect(manager.get(late.runId)?.status).toBe("queued");
    });

    it("refuses launches once the store is closed too", async () => {
      const manager = await boot();
      await app!.close();
      app = undefined;
      await expect(manager.launch(request())).rejects.toBeInstanceOf(WorkflowEngineStoppedError);
    });

    it("resolves whenEnded once the run is final", async () => {
      const manager = await boot();
      const { runId } = await manager.launch(request());
      const ended = manager.whenEnded(runId);
      const worker = workers.created.find((w) => w.init.workflow === "cleanup")!;
      await expect.poll(() => worker.runs.length).toBe(1);
      worker.end(runId, { status: "completed", endReason: "end", rounds: 0 });
      await expect(ended).resolves.toMatchObject({ runId, status: "completed" });
      await expect(manager.whenEnded(runId)).resolves.toMatchObject({ status: "completed" });
      await expect(manager.whenEnded("no-such-run")).resolves.toBeNull();
    });
  });

  describe("health", () => {
    it("lists every declared workflow with its worker, counts and state", async () => {
      const manager = await boot();
      await manager.launch(request({ workflow: "report" }));
      const quiet = { state: "ready", deaths: 0, lastExit: null, nextRestartAt: null };
      const healthy = { ...quiet, deathWindowMs: 60_000, disabledReason: null, reenable: null };
      expect(manager.health()).toEqual([
        {
          name: "cleanup",
          pid: expect.any(Number),
          active: 0,
          queued: 0,
          disabled: false,
          ...healthy,
        },
        {
          name: "report",
          pid: expect.any(Number),
          active: 1,
          queued: 0,
          disabled: false,
          ...healthy,
        },
      ]);
    });
  });

  describe("daemon restart", () => {
    it("resumes runs left started, and interrupts those of workflows no longer declared", async () => {
      const store = LogStore.open(root);
      const runs = new RunStore(store.db);
      const kept = runs.create({
        workflow: "cleanup",
        status: "started",
        maxRounds: 3,
        source: "cli",
      });
      const orphan = runs.create({
        workflow: "gone",
        status: "queued",
        maxRounds: 3,
        source: "cli",
      });
      await store.close();

      const manager = await boot();
      expect(manager.get(orphan.runId)).toMatchObject({
        status: "interrupted",
        error: "workflow gone is no longer declared in nerve.yaml",
      });
      const worker = workers.created.find((w) => w.init.workflow === "cleanup")!;
      await expect.poll(() => worker.runs.map((run) => run.runId)).toEqual([kept.runId]);
      expect(manager.get(kept.runId)?.resumes).toBe(1);
    });
  });

  describe("hot reload", () => {
    it("recompiles a workflow whose files changed and gives it a new worker", async () => {
      await boot();
      const before = workers.created.length;
      app!.get(EventEmitter2).emit(KernelEvents.workflowFilesChanged, {
        name: "cleanup",
        paths: ["workflows/cleanup/index.ts"],
      });
      await expect.poll(() => workers.created.length).toBe(before + 1);
      expect(workers.created.at(-1)?.init.workflow).toBe("cleanup");
      expect(workers.created.find((w) => w.init.workflow === "cleanup")?.stopped).toMatch(
        /files of workflow cleanup changed/,
      );
    });

    it("starts new workflows and drains removed ones when nerve.yaml changes", async () => {
      const manager = await boot();
      await manager.launch(request({ workflow: "cleanup" }));
      const queued = await manager.launch(request({ workflow: "cleanup" }));
      expect(queued.status).toBe("queued");

      writeWorkspace(root, "workflows:\n  report: {}\n  extra: {}\n");
      expect(app!.get(ConfigService).reload().ok).toBe(true);
      expect(manager.health().map((w) => w.name)).toEqual(["report", "extra"]);
      await expect.poll(() => manager.get(queued.runId)?.status).toBe("interrupted");
      expect(manager.get(queued.runId)?.error).toBe("workflow cleanup was removed from nerve.yaml");
      await expect.poll(() => workers.created.some((w) => w.init.workflow === "extra")).toBe(true);
      await expect(manager.launch(request({ workflow: "cleanup" }))).rejects.toBeInstanceOf(
        UnknownWorkflowError,
      );
    });
  });

  describe("shutdown", () => {
    it("stops the workers and leaves runs in flight started when the application closes", async () => {
      const manager = await boot();
      const { runId } = await manager.launch(request());
      const worker = workers.created.find((w) => w.init.workflow === "cleanup")!;
      await expect.poll(() => worker.runs.length).toBe(1);
      await worker.round(runId, 1);
      await app!.close();
      app = undefined;
      expect(worker.stopped).toBe("the daemon is shutting down");
      expect(manager.state).toBe("stopped");
      const store = LogStore.open(root);
      const run = new RunStore(store.db).get(runId);
      await store.close();
      expect(run).toMatchObject({ status: "started", rounds: 1 });
    });
  });
});
