import type { DaemonLog } from "../kernel/daemon-log.js";
import type { SenseExecutor } from "../sense/sense-runtime.types.js";
import type { TimeoutHost } from "./interval-timer.js";
import { LogHold } from "./log-hold.js";
import { wakeTimerName, type SenseSlot } from "./sense-slot.js";

/** What {@link ComputeGate} needs from the scheduler. */
export interface ComputeGateDeps {
  executor: SenseExecutor;
  timers: TimeoutHost;
  log: DaemonLog;
  /** The log store's state: computes wait while its commits fail (see LogHold). */
  logStore: { readonly commitError: Error | null };
  /** When the scheduler started (epoch ms): grace periods count from it. */
  startedAt: () => number;
  /** Called when what held a slot back is over: it may start its compute now. */
  retry: (slot: SenseSlot) => void;
}

/**
 * What holds a sense's next compute back (SPEC §5): its grace period and throttle window (a
 * wake-up timer retries when they end), a log that cannot be written (the compute waits, its
 * triggers kept: see LogHold), and a disabled sense (its triggers are dropped, said once).
 */
export class ComputeGate {
  private readonly logHold: LogHold<SenseSlot>;

  constructor(private readonly deps: ComputeGateDeps) {
    this.logHold = new LogHold<SenseSlot>({
      log: deps.logStore,
      timers: deps.timers,
      daemonLog: deps.log,
      resume: deps.retry,
    });
  }

  /**
   * Whether the pending compute of `slot` may start at `now`; if not, a retry is arranged
   * (throttle, grace period, log) or its triggers were dropped (disabled).
   */
  opens(slot: SenseSlot, now: number): boolean {
    const { timers } = this.deps;
    const graceEnd = this.deps.startedAt() + slot.sense.gracePeriodMs;
    const throttleEnd =
      slot.lastStartAt === null ? -Infinity : slot.lastStartAt + slot.sense.throttleMs;
    const earliest = Math.max(graceEnd, throttleEnd);
    if (now < earliest) {
      slot.wakeArmed = true;
      timers.setTimeout(wakeTimerName(slot), () => this.wake(slot), earliest - now);
      return false;
    }
    if (slot.wakeArmed) timers.clearTimeout(wakeTimerName(slot));
    slot.wakeArmed = false;
    // An outcome that could not be recorded (full disk): the compute waits, its triggers kept.
    if (this.logHold.holds(slot)) return false;
    const availability = this.deps.executor.availability(slot.name);
    if (availability.disabled) {
      if (!slot.disabledNoticed) {
        this.deps.log.warn(
          `sense:${slot.name}`,
          `sense is disabled (${availability.reason ?? "no reason given"}); its triggers are ` +
            `dropped until it is enabled again`,
        );
      }
      slot.disabledNoticed = true;
      slot.pending.clear();
      return false;
    }
    slot.disabledNoticed = false;
    return true;
  }

  /** Stops retrying held computes (the scheduler stops). */
  stop(): void {
    this.logHold.stop();
  }

  private wake(slot: SenseSlot): void {
    slot.wakeArmed = false;
    this.deps.retry(slot);
  }
}
