export { SignalBus } from "./signal-bus.js";
export { SignalModule } from "./signal.module.js";
export { OnSignal } from "./on-signal.decorator.js";
export {
  SIGNAL_EVENT_PREFIX,
  signalEvent,
  type SignalHandler,
  type SignalSource,
} from "./signal-events.js";
export { InvalidSignalSubscriptionError, SignalBusWildcardError } from "./errors/signal.error.js";
