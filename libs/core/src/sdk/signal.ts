/** A sense's non-null result, as it travels on the signal bus and lands in the log. */
export interface Signal<P = unknown> {
  /** Unique id of this signal. */
  id: string;
  /** Name of the sense that emitted it. */
  sense: string;
  /** The JSON payload the sense returned. */
  payload: P;
  /** Emission time, epoch milliseconds. */
  ts: number;
  /** Id of the first signal that triggered the compute that emitted this one, or `null`. */
  causeId: string | null;
  /**
   * The daemon it came from, for a signal of another daemon of the cluster (federation);
   * absent for a signal of this daemon.
   */
  node?: string;
}

/** Why a compute runs. */
export type TriggerKind = "interval" | "signal" | "manual";

/** What started a compute: `signals` holds every coalesced signal, oldest first. */
export interface SenseTrigger {
  kind: TriggerKind;
  signals: Signal[];
}
