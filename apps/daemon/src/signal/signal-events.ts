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
