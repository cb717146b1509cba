import { EventEmitter2 } from "@nestjs/event-emitter";
import { SchedulerRegistry } from "@nestjs/schedule";
import type { LogRow } from "@nerve/core";
import { LogStore } from "@nerve/store";
import { vi } from "vitest";
import { Clock } from "../../kernel/clock.js";
import { ConfigService } from "../../kernel/config.service.js";
import { DaemonLog } from "../../kernel/daemon-log.js";
import { KernelEvents, type ConfigChangedEvent } from "../../kernel/events.js";
import { SignalBus } from "../../signal/signal-bus.js";
import { signalEvent } from "../../signal/signal-events.js";
import type { WorkflowLauncher } from "../../workflow/workflow-launcher.js";
import { ComputeOutcomeHandler } from "../compute-outcome-handler.js";
import { ReflexScheduler } from "../reflex-scheduler.service.js";
import { RegistryTimeoutHost } from "../registry-timeout-host.js";
import { SenseRegistry } from "../sense-registry.service.js";
import { FakeSenseExecutor } from "./fake-sense-executor.js";
import { RecordingLauncher } from "./recording-launcher.js";
import { tempWorkspace, writeWorkspace } from "./workspace.js";

/** Every timer but setImmediate (see the constructor). */
const FAKED: ("setTimeout" | "clearTimeout" | "setInterval" | "clearInterval" | "Date")[] = [
  "setTimeout",
  "clearTimeout",
  "setInterval",
  "clearInterval",
  "Date",
];

/** A turn of the real event loop: lets the bus commit and deliver what it published. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Enough turns for a signal to travel a chain of senses in the specs. */
const SETTLE_TURNS = 10;

/** 2026-01-01T00:00:00Z: every test starts its fake clock here. */
export const T0 = Date.UTC(2026, 0, 1);

/**
 * The reflex scheduler with real parts around it — ConfigService on a temp workspace, LogStore
 * on a real SQLite file, DaemonLog, SignalBus on a wildcard EventEmitter2, SchedulerRegistry —
 * and a fake SenseExecutor standing in for the worker processes. Uses vitest's fake timers.
 */
export class ReflexHarness {
  readonly root: string;
  readonly events = new EventEmitter2({ wildcard: true, delimiter: "." });
  readonly config: ConfigService;
  readonly logStore: LogStore;
  readonly daemonLog: DaemonLog;
  readonly clock = new Clock();
  readonly registry = new SchedulerRegistry();
  readonly executor = new FakeSenseExecutor();
  readonly bus: SignalBus;
  readonly outcomes: ComputeOutcomeHandler;
  readonly scheduler: ReflexScheduler;
  readonly senses: SenseRegistry;
  private readonly cleanup: () => void;

  constructor(
    yaml: string,
    readonly launcher: WorkflowLauncher = new RecordingLauncher(),
  ) {
    // setImmediate stays real: the bus commits a signal's row on the next turn of the event loop
    // before it delivers the signal, and fake immediates queued while fake time stands still
    // would wait for the clock to move.
    vi.useFakeTimers({ now: T0, toFake: FAKED });
    ({ root: this.root, cleanup: this.cleanup } = tempWorkspace(yaml));
    this.config = new ConfigService({ root: this.root }, this.events);
    this.logStore = LogStore.open(this.root);
    this.daemonLog = new DaemonLog({ root: this.root });
    this.bus = new SignalBus(this.events, this.logStore, this.daemonLog, this.clock);
    this.outcomes = new ComputeOutcomeHandler(
      this.bus,
      launcher,
      this.logStore,
      this.daemonLog,
      this.config,
    );
    this.scheduler = new ReflexScheduler(
      this.config,
      this.executor,
      this.outcomes,
      this.bus,
      this.daemonLog,
      this.clock,
      new RegistryTimeoutHost(this.registry),
      this.logStore,
    );
    this.senses = new SenseRegistry(this.config, this.scheduler, this.executor);
    // What @OnEvent does in the application.
    this.events.on(KernelEvents.configChanged, (event: ConfigChangedEvent) =>
      this.scheduler.onConfigChanged(event),
    );
  }

  /** Replaces nerve.yaml and reloads it; fails when the new config is invalid. */
  reload(yaml: string): void {
    writeWorkspace(this.root, yaml);
    const report = this.config.reload();
    if (!report.ok) throw new Error(report.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  }

  /** Log rows of `type` (all when omitted), oldest first. */
  rows(type?: string): LogRow[] {
    return this.logStore.query({ ...(type === undefined ? {} : { type }), order: "asc" });
  }

  /**
   * A signal of `sense`, as if its compute had returned `payload` and the bus had committed and
   * delivered it: logged and heard by the listeners before this returns (SignalBus.publish does
   * the same a turn of the event loop later, once the row is committed).
   */
  emit(sense: string, payload: unknown = null, causeId: string | null = null) {
    const signal = this.bus.createSignal(sense, payload, causeId);
    this.logStore.append({
      ts: signal.ts,
      source: `sense:${sense}`,
      type: "signal",
      refId: signal.id,
      payload,
    });
    this.events.emit(signalEvent(sense), signal);
    return signal;
  }

  /** Lets pending promise callbacks and signal deliveries run without moving the clock. */
  async flush(): Promise<void> {
    for (let i = 0; i < SETTLE_TURNS; i += 1) {
      await vi.advanceTimersByTimeAsync(0);
      await turn();
    }
  }

  async advance(ms: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms);
    await this.flush();
  }

  async close(): Promise<void> {
    this.scheduler.stop();
    // Computes a test left open end now, as the sense module would end them at shutdown.
    for (const call of this.executor.calls) if (!call.settled) call.settle();
    await this.scheduler.idle();
    vi.useRealTimers();
    await this.logStore.close();
    await this.daemonLog.onApplicationShutdown();
    this.cleanup();
  }
}
