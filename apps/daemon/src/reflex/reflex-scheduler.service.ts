import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from "@nestjs/common";
import { OnEvent } from "@nestjs/event-emitter";
import type { Signal, TriggerKind } from "@nerve/core";
import { LogStore } from "@nerve/store";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents, type ConfigChangedEvent } from "../kernel/events.js";
import { SenseExecutor } from "../sense/sense-runtime.types.js";
import { SignalBus } from "../signal/signal-bus.js";
import { ComputeOutcomeHandler } from "./compute-outcome-handler.js";
import { ComputeGate } from "./compute-gate.js";
import { ComputeRuns } from "./compute-runs.js";
import { SchedulerStoppedError } from "./errors/scheduler-stopped.error.js";
import { UnknownSenseError } from "./errors/unknown-sense.error.js";
import { sendingTogether } from "../process/worker-messages.js";
import { DeadlineTimers } from "./deadline-timers.js";
import type { TimeoutHost } from "./interval-timer.js";
import { describeReload, listenersOf, planReflexes, type ReflexPlan } from "./reflex-plan.js";
import { RegistryTimeoutHost } from "./registry-timeout-host.js";
import {
  dropTriggers,
  emptyStats,
  newSlot,
  slotStatus,
  syncIntervals,
  type SenseSlot,
  type SenseStatus,
} from "./sense-slot.js";

/**
 * `idle`: made, slots built from the config, no timer yet (triggers wait) → `start()` →
 * `running`: timers armed, computes start → `stop()` → `stopped`: no timer, no new compute;
 * computes in flight still have their outcomes handled (see {@link ReflexScheduler.idle}).
 */
export type SchedulerState = "idle" | "running" | "stopped";

const LOG_TAG = "reflex";

/**
 * Decides when each sense computes (SPEC §5): interval reflexes tick from absolute deadlines
 * (daemon start + grace period, then every interval); `on` reflexes turn each signal of the
 * senses they name into a trigger. One sense never computes twice at once: whatever arrives
 * while it computes, inside its throttle window (minimum time between two compute starts) or
 * before its grace period ends is merged into ONE follow-up compute that gets every signal,
 * oldest first. Outcomes go to {@link ComputeOutcomeHandler}. While the log cannot be written
 * (a full disk), no compute starts: its outcome could not be recorded (see {@link ComputeGate}).
 *
 * Timers go through SchedulerRegistry and time through the injected Clock, so fake timers drive
 * it in tests. Interval timers due at the same moment share one timer (DeadlineTimers): the
 * senses of a grid tick in one task, in the order their timers were armed.
 */
@Injectable()
export class ReflexScheduler
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private state: SchedulerState = "idle";
  private startedAt = 0;
  private readonly slots = new Map<string, SenseSlot>();
  private listeners = new Map<string, string[]>();
  /** This daemon's node name in the cluster, so `<node>/<sense>` in `on` hears local signals. */
  private node: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private unsubscribeRemote: (() => void) | null = null;
  /** The computes in flight and what their outcomes left under way. */
  private readonly runs: ComputeRuns;
  /** What holds a compute back: grace period, throttle, an unwritable log, a disabled sense. */
  private readonly gate: ComputeGate;
  /** The interval timers: one timer of `timers` per distinct deadline, however many senses share it. */
  private readonly ticks: DeadlineTimers;

  constructor(
    @Inject(ConfigService) config: ConfigService,
    @Inject(SenseExecutor) executor: SenseExecutor,
    @Inject(ComputeOutcomeHandler) outcomes: ComputeOutcomeHandler,
    @Inject(SignalBus) private readonly bus: SignalBus,
    @Inject(DaemonLog) private readonly log: DaemonLog,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RegistryTimeoutHost) private readonly timers: TimeoutHost,
    @Inject(LogStore) logStore: LogStore,
  ) {
    this.ticks = new DeadlineTimers(
      timers,
      () => this.clock.now(),
      "reflex:ticks-at:",
      sendingTogether,
    );
    this.runs = new ComputeRuns({
      executor,
      outcomes,
      log,
      now: () => this.clock.now(),
      finished: (slot) => this.finished(slot),
    });
    this.gate = new ComputeGate({
      executor,
      timers,
      log,
      logStore,
      startedAt: () => this.startedAt,
      retry: (slot) => this.pump(slot),
    });
    this.apply(planReflexes(config.current));
    this.node = config.current.federation?.node ?? null;
    // From the start, not at start(): the federation may commit signals of other daemons before
    // this scheduler starts (a restart catching up); their triggers wait for start().
    this.unsubscribeRemote = this.bus.subscribeRemote(this.onSignal);
  }

  get status(): SchedulerState {
    return this.state;
  }

  /** When `start()` ran (epoch ms): grace periods count from here. Null before. */
  get startTime(): number | null {
    return this.state === "idle" ? null : this.startedAt;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  onModuleDestroy(): void {
    this.stop();
  }

  /**
   * Stops; does not wait for computes in flight: the termination path drains the sense runtime
   * and may then await {@link ReflexScheduler.idle} so their outcomes are logged before the
   * final flush.
   */
  beforeApplicationShutdown(): void {
    this.stop();
  }

  /** Arms the interval timers and starts listening to signals. Idempotent. */
  start(): void {
    if (this.state !== "idle") return;
    this.state = "running";
    this.startedAt = this.clock.now();
    this.unsubscribe = this.bus.subscribe("*", this.onSignal);
    for (const slot of this.slots.values()) {
      // One moment for all: senses that start together share their grid (and its timers).
      this.syncIntervals(slot, this.startedAt);
      this.pump(slot);
    }
  }

  /**
   * Cancels every timer and takes no more triggers; pending triggers are dropped (logged).
   * Computes in flight keep running and their outcomes are still handled. Idempotent.
   */
  stop(): void {
    if (this.state === "stopped") return;
    this.state = "stopped";
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.unsubscribeRemote?.();
    this.unsubscribeRemote = null;
    this.gate.stop();
    let dropped = 0;
    for (const slot of this.slots.values()) dropped += dropTriggers(slot, this.timers);
    if (dropped > 0) {
      this.log.info(LOG_TAG, `stopped: ${dropped} pending trigger(s) will not run`);
    }
  }

  /** Resolves once no compute is in flight and every outcome (signals delivered, launches made) is handled. */
  idle(): Promise<void> {
    return this.runs.idle();
  }

  /**
   * Asks for a compute of `sense` by hand (`nerve sense trigger`). It runs as soon as the
   * sense's grace period, throttle and any compute in flight allow, merged with whatever else
   * is pending.
   *
   * @throws UnknownSenseError when nerve.yaml declares no such sense.
   * @throws SchedulerStoppedError once the scheduler has stopped.
   */
  trigger(sense: string): void {
    const slot = this.slots.get(sense);
    if (slot === undefined || slot.removed) throw new UnknownSenseError(sense, this.senseNames());
    if (this.state === "stopped") throw new SchedulerStoppedError(sense);
    this.request(slot, "manual", this.clock.now());
  }

  /** The live state of a declared sense, or null for an unknown one. */
  senseStatus(sense: string): SenseStatus | null {
    const slot = this.slots.get(sense);
    if (slot === undefined || slot.removed) return null;
    return slotStatus(slot);
  }

  /** Names of the senses of the running config (for messages; SenseRegistry.list gives YAML order). */
  senseNames(): string[] {
    return [...this.slots.values()].filter((slot) => !slot.removed).map((slot) => slot.name);
  }

  /**
   * Applies a reloaded config: unchanged senses keep their state and timers; intervals that
   * changed are rescheduled; removed senses are dropped with their pending triggers; new senses
   * get timers whose grace period counts from the daemon start, not from the reload.
   */
  @OnEvent(KernelEvents.configChanged)
  onConfigChanged(event: ConfigChangedEvent): void {
    if (this.state === "stopped") return;
    const before = this.senseNames();
    const plan = planReflexes(event.next);
    this.apply(plan);
    this.node = event.next.federation?.node ?? null;
    this.log.info(LOG_TAG, `reflexes reloaded: ${describeReload(before, plan)}`);
  }

  private apply(plan: ReflexPlan): void {
    const now = this.clock.now();
    for (const [name, slot] of this.slots) if (!plan.senses.has(name)) this.remove(slot);
    for (const [name, { sense, intervals }] of plan.senses) {
      let slot = this.slots.get(name);
      if (slot === undefined) {
        slot = newSlot(sense, intervals);
        this.slots.set(name, slot);
      } else if (slot.removed) {
        // Re-added while its last compute still runs: same slot, so they cannot overlap.
        slot.removed = false;
        slot.stats = emptyStats();
      }
      slot.sense = sense;
      slot.intervalsWanted = intervals;
      if (this.state === "running") {
        this.syncIntervals(slot, now);
        this.pump(slot);
      }
    }
    this.listeners = plan.listeners;
  }

  private remove(slot: SenseSlot): void {
    if (slot.removed) return;
    slot.removed = true;
    const dropped = dropTriggers(slot, this.timers);
    if (dropped > 0) {
      const what = `${dropped} pending trigger(s) discarded`;
      this.log.info(LOG_TAG, `sense ${slot.name} was removed from nerve.yaml: ${what}`);
    }
    if (!slot.running) this.slots.delete(slot.name);
  }

  /** `now`: the moment of this sync, read once for all the slots synced together. */
  private syncIntervals(slot: SenseSlot, now: number): void {
    syncIntervals(slot, {
      startedAt: this.startedAt,
      at: now,
      now: () => this.clock.now(),
      host: this.ticks,
      onTick: (deadline) => this.request(slot, "interval", deadline),
    });
  }

  /** A signal triggers the reflexes that listen to it (see {@link listenersOf}). */
  private readonly onSignal = (signal: Signal): void => {
    for (const name of listenersOf(this.listeners, this.node, signal)) {
      this.requestSignal(name, signal);
    }
  };

  private requestSignal(name: string, signal: Signal): void {
    const slot = this.slots.get(name);
    if (slot !== undefined && !slot.removed) {
      this.request(slot, "signal", this.clock.now(), signal);
    }
  }

  /** `at`: the instant the trigger asks a compute for (a tick's deadline, else now). */
  private request(slot: SenseSlot, kind: TriggerKind, at: number, signal?: Signal): void {
    if (this.state === "stopped" || slot.removed) return;
    slot.pending.add(kind, at, signal);
    this.pump(slot);
  }

  /** Starts the slot's pending compute if nothing holds it back, else waits for what does. */
  private pump(slot: SenseSlot): void {
    if (this.state !== "running" || slot.running || slot.removed || slot.pending.empty) return;
    const now = this.clock.now();
    if (!this.gate.opens(slot, now)) return;
    const next = slot.pending.take();
    if (next !== null) this.runs.start(slot, next, now);
  }

  /** The slot's compute is over: a removed slot goes, another computes what is pending. */
  private finished(slot: SenseSlot): void {
    if (slot.removed) {
      if (this.slots.get(slot.name) === slot) this.slots.delete(slot.name);
      return;
    }
    this.pump(slot);
  }
}
