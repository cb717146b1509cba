import type { Signal } from "@nerve/core";

/** Signals travel on the engine's EventEmitter2 under `signal.<sense>`. */
export const SIGNAL_EVENT_PREFIX = "signal";

/** Every sense (`"*"`), or one sense by name. */
export type SignalSource = string;

/** Receives one signal; a returned promise is awaited only for its error. */
export type SignalHandler = (signal: Signal) => void | Promise<void>;

/** The event name a signal of `sense` is emitted under; `"*"` gives the wildcard of all senses. */
export function signalEvent(sense: SignalSource): string {
  return `${SIGNAL_EVENT_PREFIX}.${sense}`;
}

/** Signals of other daemons (federation) travel under this one event name. */
export const REMOTE_SIGNAL_EVENT = "remote-signal";

/**
 * Told of every signal of this daemon around its commit (the federation's outbox): the three
 * calls are made synchronously by the publisher, in publish order.
 */
export interface SignalCommitHook {
  /** Before the signal's row is appended to the log. */
  beforeCommit(signal: Signal, payloadJson: string | undefined): void;
  /** Once the row is committed, before listeners hear the signal. */
  committed(signal: Signal): void;
  /** The row could not be appended: as far as this daemon knows, the signal never happened. */
  notCommitted(signal: Signal): void;
}
