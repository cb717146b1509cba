import { Injectable } from "@nestjs/common";
import { EventEmitterModule } from "@nestjs/event-emitter";
import { ScheduleModule } from "@nestjs/schedule";
import { Test, type TestingModule } from "@nestjs/testing";
import type { Signal } from "@nerve/core";
import { StoreModule } from "@nerve/store";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConfigService } from "../kernel/config.service.js";
import { KernelModule } from "../kernel/kernel.module.js";
import { SenseRuntime } from "../sense/sense-runtime.service.js";
import { OnSignal } from "../signal/on-signal.decorator.js";
import { SignalBus } from "../signal/signal-bus.js";
import { WorkflowLauncher } from "../workflow/workflow-launcher.js";
import { FakeSenseExecutor, none, signalOutcome } from "./__fixtures__/fake-sense-executor.js";
import { RecordingLauncher } from "./__fixtures__/recording-launcher.js";
import { tempWorkspace, writeWorkspace } from "./__fixtures__/workspace.js";
import { ReflexModule } from "./reflex.module.js";
import { ReflexScheduler } from "./reflex-scheduler.service.js";
import { SenseRegistry } from "./sense-registry.service.js";

@Injectable()
class SignalListener {
  readonly cpu: Signal[] = [];
  readonly all: Signal[] = [];

  @OnSignal("cpu")
  onCpu(signal: Signal): void {
    this.cpu.push(signal);
  }

  @OnSignal("*")
  onAny(signal: Signal): void {
    this.all.push(signal);
  }
}

const executor = new FakeSenseExecutor();

const YAML =
  "senses:\n  cpu: { group: system, throttle: 2s }\n  alert: { grace_period: 0s }\n" +
  "reflexes:\n  - { kind: sense, sense: cpu, interval: 1h }\n  - { kind: sense, sense: cpu, interval: 30m }\n" +
  "  - { kind: sense, sense: alert, on: [cpu] }\n";

describe(ReflexModule.name, () => {
  let root: string;
  let cleanup: () => void;
  let app: TestingModule | undefined;

  beforeEach(() => {
    ({ root, cleanup } = tempWorkspace(YAML));
    executor.calls.length = 0;
    executor.auto.clear();
    executor.auto.set("cpu", () => signalOutcome({ pct: 91 }));
    executor.auto.set("alert", () => none());
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    cleanup();
  });

  async function boot(): Promise<TestingModule> {
    app = await Test.createTestingModule({
      imports: [
        EventEmitterModule.forRoot({ wildcard: true, delimiter: "." }),
        ScheduleModule.forRoot(),
        KernelModule.forRoot({ root, ipc: false, watch: false }),
        StoreModule.forRoot({ root }),
        ReflexModule,
      ],
      providers: [SignalListener],
    })
      // The worker processes are the sense module's business: a fake executor stands in.
      .overrideProvider(SenseRuntime)
      .useValue(executor)
      .overrideProvider(WorkflowLauncher)
      .useClass(RecordingLauncher)
      .compile();
    await app.init();
    return app;
  }

  it("starts the scheduler at bootstrap and delivers signals to @OnSignal methods", async () => {
    const module = await boot();
    const listener = module.get(SignalListener);
    await vi.waitFor(() => expect(listener.cpu).toHaveLength(1));
    expect(listener.cpu[0]).toMatchObject({ sense: "cpu", payload: { pct: 91 }, causeId: null });
    expect(listener.all).toEqual([listener.cpu[0]]);
    await vi.waitFor(() => expect(executor.of("alert")).toHaveLength(1));
    expect(executor.of("alert")[0].request.trigger.signals).toEqual(listener.cpu);
    expect(module.get(ReflexScheduler).status).toBe("running");
  });

  it("lists senses with config and live fields, and triggers by hand", async () => {
    const module = await boot();
    const registry = module.get(SenseRegistry);
    await vi.waitFor(() => expect(executor.of("alert")).toHaveLength(1));
    expect(registry.list()).toEqual([
      {
        name: "cpu",
        group: "system",
        throttle: 2_000,
        timeout: 30_000,
        gracePeriod: 0,
        interval: 1_800_000,
        on: [],
        running: false,
        computes: 1,
        errors: 0,
        lastComputeAt: expect.any(Number),
        lastSignalAt: expect.any(Number),
        lastError: null,
        disabled: false,
        disabledReason: null,
        reenable: null,
        groupState: null,
        nextRestartAt: null,
      },
      expect.objectContaining({ name: "alert", interval: null, on: ["cpu"], computes: 1 }),
    ]);
    expect(registry.trigger("alert")).toEqual({ sense: "alert", accepted: true });
    await vi.waitFor(() => expect(executor.of("alert")).toHaveLength(2));
    expect(executor.of("alert")[1].request.trigger).toEqual({ kind: "manual", signals: [] });
  });

  it("applies a config reload announced by the kernel", async () => {
    const module = await boot();
    writeWorkspace(root, YAML.replace("senses:\n", "senses:\n  fresh: {}\n"));
    expect(module.get(ConfigService).reload().ok).toBe(true);
    expect(
      module
        .get(SenseRegistry)
        .list()
        .map((sense) => sense.name),
    ).toEqual(["fresh", "cpu", "alert"]);
    executor.auto.set("fresh", () => none());
    module.get(SenseRegistry).trigger("fresh");
    await vi.waitFor(() => expect(executor.of("fresh")).toHaveLength(1));
  });

  it("stops the scheduler when the application closes", async () => {
    const module = await boot();
    const scheduler = module.get(ReflexScheduler);
    const bus = module.get(SignalBus);
    await app!.close();
    app = undefined;
    expect(scheduler.status).toBe("stopped");
    expect(bus).toBeInstanceOf(SignalBus);
  });
});
