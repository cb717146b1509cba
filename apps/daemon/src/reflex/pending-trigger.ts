import type { Signal, SenseTrigger, TriggerKind } from "@nerve/core";

/** The trigger of one compute and the instant it is for (`ctx.now`, epoch ms). */
export interface PendingCompute {
  trigger: SenseTrigger;
  now: number;
}

/**
 * What a sense still has to compute for: the signals that arrived, oldest first, and whether an
 * interval tick or a manual trigger is waiting. However many triggers arrive, they make at most
 * one compute: a set of signals and two flags, never a queue of computes. The compute is for
 * the latest instant among those merged (a tick's deadline, the moment a signal or manual
 * request came): it answers for everything up to then.
 */
export class PendingTrigger {
  private signals: Signal[] = [];
  private interval = false;
  private manual = false;
  private at = -Infinity;

  get empty(): boolean {
    return this.signals.length === 0 && !this.interval && !this.manual;
  }

  /** Triggers merged so far (each signal, each tick and each manual request count once). */
  get size(): number {
    return this.signals.length + (this.interval ? 1 : 0) + (this.manual ? 1 : 0);
  }

  /** Merges one trigger; `at` is the instant it asks a compute for (epoch ms). */
  add(kind: TriggerKind, at: number, signal?: Signal): void {
    if (at > this.at) this.at = at;
    switch (kind) {
      case "signal":
        if (signal !== undefined) this.signals.push(signal);
        break;
      case "interval":
        this.interval = true;
        break;
      case "manual":
        this.manual = true;
        break;
    }
  }

  /**
   * The trigger of one compute covering everything pending, which is then cleared; null when
   * nothing is pending. Signals win over the flags (the compute is for them, and receives them
   * all); a manual request wins over an interval tick.
   */
  take(): PendingCompute | null {
    if (this.empty) return null;
    const signals = this.signals;
    const kind: TriggerKind = signals.length > 0 ? "signal" : this.manual ? "manual" : "interval";
    const now = this.at;
    this.clear();
    return { trigger: { kind, signals }, now };
  }

  clear(): void {
    this.signals = [];
    this.interval = false;
    this.manual = false;
    this.at = -Infinity;
  }
}
