import { Test } from "@nestjs/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NERVE_VERSION, type IpcError, type SenseInfo } from "@nerve/core";
import { Clock } from "../../kernel/clock.js";
import { ConfigService } from "../../kernel/config.service.js";
import { DashboardAddress } from "../../kernel/dashboard-address.js";
import { KernelService } from "../../kernel/kernel.service.js";
import { DaemonHealth } from "../../lifecycle/daemon-health.service.js";
import { SchedulerStoppedError } from "../../reflex/errors/scheduler-stopped.error.js";
import { SenseExecutor } from "../../sense/sense-runtime.types.js";
import {
  MissingWorkflowEngine,
  UnknownWorkflowError,
  WorkflowLauncher,
} from "../../workflow/workflow-launcher.js";
import {
  fakeConfigService,
  FakeSenseDirectory,
  FakeSenseExecutor,
  FakeShutdownRequester,
  RecordingLauncher,
} from "../__fixtures__/daemon-fakes.js";
import { SenseDirectory } from "../sense-directory.js";
import { ShutdownRequester } from "../shutdown-requester.js";
import { UnixContext } from "../unix-context.js";
import { HealthHandler } from "./handle-health.js";
import { ListSensesHandler } from "./handle-list-senses.js";
import { SHUTDOWN_REASON, ShutdownHandler } from "./handle-shutdown.js";
import { TriggerSenseHandler } from "./handle-trigger-sense.js";
import { TriggerWorkflowHandler } from "./handle-trigger-workflow.js";

const ROOT = "/srv/workspace";

async function handlers(launcher: WorkflowLauncher = new RecordingLauncher()) {
  const senses = new FakeSenseDirectory();
  const executor = new FakeSenseExecutor();
  const shutdown = new FakeShutdownRequester();
  const module = await Test.createTestingModule({
    providers: [
      HealthHandler,
      DaemonHealth,
      DashboardAddress,
      ListSensesHandler,
      TriggerSenseHandler,
      TriggerWorkflowHandler,
      ShutdownHandler,
      { provide: ConfigService, useValue: fakeConfigService(ROOT) },
      { provide: KernelService, useValue: { startedAt: 1_000 } },
      { provide: Clock, useValue: { now: () => 6_500 } },
      { provide: SenseExecutor, useValue: executor },
      { provide: WorkflowLauncher, useValue: launcher },
      { provide: SenseDirectory, useValue: senses },
      { provide: ShutdownRequester, useValue: shutdown },
    ],
  }).compile();
  return { module, senses, executor, shutdown };
}

async function rejection(promise: Promise<unknown>): Promise<IpcError> {
  return (await promise.then(
    () => expect.unreachable("expected a rejection"),
    (error: unknown) => error,
  )) as IpcError;
}

describe(HealthHandler.name, () => {
  it("reports pid, root, uptime, version, groups and workflows", async () => {
    const launcher = new RecordingLauncher();
    launcher.workflows = [{ name: "triage", pid: null, active: 0, queued: 0, disabled: false }];
    const { module, executor } = await handlers(launcher);
    const result = await module.get(HealthHandler).handle({ id: 1, type: "health" });
    expect(result).toEqual({
      pid: process.pid,
      root: ROOT,
      uptimeMs: 5_500,
      version: NERVE_VERSION,
      groups: executor.health,
      workflows: launcher.workflows,
    });
  });

  it("names the dashboard's address while it is on", async () => {
    const { module } = await handlers();
    module.get(DashboardAddress).url = "http://127.0.0.1:7777/";
    const result = await module.get(HealthHandler).handle({ id: 1, type: "health" });
    expect(result.dashboard).toEqual({ url: "http://127.0.0.1:7777/" });
  });
});

describe(ListSensesHandler.name, () => {
  it("answers the sense directory's list", async () => {
    const { module, senses } = await handlers();
    senses.infos = [{ name: "cpu", group: "default" } as SenseInfo];
    await expect(
      module.get(ListSensesHandler).handle({ id: 1, type: "list-senses" }),
    ).resolves.toBe(senses.infos);
  });
});

describe(TriggerSenseHandler.name, () => {
  it("triggers a declared sense and accepts", async () => {
    const { module, senses } = await handlers();
    const result = await module
      .get(TriggerSenseHandler)
      .handle({ id: 1, type: "trigger-sense", sense: "cpu" });
    expect(result).toEqual({ sense: "cpu", accepted: true });
    expect(senses.triggered).toEqual(["cpu"]);
  });

  it("answers unknown_sense, naming the declared senses, for an undeclared one", async () => {
    const { module, senses } = await handlers();
    const error = await rejection(
      module.get(TriggerSenseHandler).handle({ id: 1, type: "trigger-sense", sense: "gpu" }),
    );
    expect(error).toMatchObject({ name: "IpcError", code: "unknown_sense" });
    expect(error.message).toBe(
      'unknown sense "gpu": it is not declared under senses: in nerve.yaml (declared: cpu, disk)',
    );
    expect(senses.triggered).toEqual([]);
  });

  it("lets other trigger failures through, for the transport to answer internal", async () => {
    const { module, senses } = await handlers();
    senses.failure = new SchedulerStoppedError("cpu");
    await expect(
      module.get(TriggerSenseHandler).handle({ id: 1, type: "trigger-sense", sense: "cpu" }),
    ).rejects.toThrow(SchedulerStoppedError);
  });
});

describe(TriggerWorkflowHandler.name, () => {
  it("launches with source cli, no cause, and the defaults for what the request left out", async () => {
    const launcher = new RecordingLauncher();
    const { module } = await handlers(launcher);
    const handler = module.get(TriggerWorkflowHandler);
    await expect(
      handler.handle({ id: 1, type: "trigger-workflow", workflow: "triage" }),
    ).resolves.toEqual({
      runId: "run-1",
      status: "started",
    });
    await handler.handle({
      id: 2,
      type: "trigger-workflow",
      workflow: "triage",
      prompt: "why?",
      maxRounds: 3,
      payload: { pct: 97 },
    });
    expect(launcher.launches).toEqual([
      {
        workflow: "triage",
        prompt: "",
        maxRounds: undefined,
        payload: null,
        source: "cli",
        causeId: null,
      },
      {
        workflow: "triage",
        prompt: "why?",
        maxRounds: 3,
        payload: { pct: 97 },
        source: "cli",
        causeId: null,
      },
    ]);
  });

  it("answers unknown_workflow for an undeclared workflow without launching", async () => {
    const launcher = new RecordingLauncher();
    const { module } = await handlers(launcher);
    const error = await rejection(
      module
        .get(TriggerWorkflowHandler)
        .handle({ id: 1, type: "trigger-workflow", workflow: "nope" }),
    );
    expect(error).toMatchObject({ code: "unknown_workflow" });
    expect(error.message).toContain('unknown workflow "nope"');
    expect(error.message).toContain("(declared: triage)");
    expect(launcher.launches).toEqual([]);
  });

  it("answers unknown_workflow when the launcher no longer knows the workflow", async () => {
    const launcher = new RecordingLauncher();
    launcher.failure = new UnknownWorkflowError("triage");
    const { module } = await handlers(launcher);
    const error = await rejection(
      module
        .get(TriggerWorkflowHandler)
        .handle({ id: 1, type: "trigger-workflow", workflow: "triage" }),
    );
    expect(error).toMatchObject({ code: "unknown_workflow", message: launcher.failure.message });
  });

  it("answers internal with the engine's message while no workflow engine is installed", async () => {
    const { module } = await handlers(new MissingWorkflowEngine());
    const error = await rejection(
      module
        .get(TriggerWorkflowHandler)
        .handle({ id: 1, type: "trigger-workflow", workflow: "triage" }),
    );
    expect(error).toMatchObject({ name: "IpcError", code: "internal" });
    expect(error.message).toContain(
      'cannot start workflow "triage": this daemon has no workflow engine',
    );
  });

  it("lets other launch failures through, for the transport to answer internal", async () => {
    const launcher = new RecordingLauncher();
    launcher.failure = new RangeError("queue exploded");
    const { module } = await handlers(launcher);
    await expect(
      module
        .get(TriggerWorkflowHandler)
        .handle({ id: 1, type: "trigger-workflow", workflow: "triage" }),
    ).rejects.toThrow(RangeError);
  });
});

describe(ShutdownHandler.name, () => {
  let shutdown: FakeShutdownRequester;
  let handler: ShutdownHandler;

  beforeEach(async () => {
    const built = await handlers();
    shutdown = built.shutdown;
    handler = built.module.get(ShutdownHandler);
  });

  afterEach(() => {
    shutdown.reasons.length = 0;
  });

  it("answers stopping first and requests the shutdown only after the answer has left", async () => {
    const context = new UnixContext([null as never, "shutdown"]);
    await expect(handler.handle({ id: 1, type: "shutdown" }, context)).resolves.toEqual({
      stopping: true,
    });
    expect(shutdown.reasons).toEqual([]);
    context.runAfterReply(() => undefined);
    expect(shutdown.reasons).toEqual([SHUTDOWN_REASON]);
  });

  it("requests the shutdown on the next turn when called without a transport", async () => {
    await expect(handler.handle({ id: 1, type: "shutdown" })).resolves.toEqual({ stopping: true });
    expect(shutdown.reasons).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(shutdown.reasons).toEqual([SHUTDOWN_REASON]);
  });
});
