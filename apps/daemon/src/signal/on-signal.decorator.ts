import { OnEvent } from "@nestjs/event-emitter";
import { NAME_PATTERN } from "@nerve/core";
import { InvalidSignalSubscriptionError } from "./errors/signal.error.js";
import { signalEvent, type SignalSource } from "./signal-events.js";

/**
 * Marks a provider method as a listener of the signal bus: it is called with each
 * {@link Signal} that `sense` emits, or that any sense emits when `sense` is `"*"`.
 *
 * ```ts
 * @Injectable()
 * export class DiskAlerts {
 *   @OnSignal("disk-pressure")
 *   onPressure(signal: Signal<{ pct: number }>) { … }
 * }
 * ```
 *
 * Built on `@OnEvent` of @nestjs/event-emitter, so listeners are attached when the application
 * bootstraps; a listener that throws (or rejects) is logged and never reaches the sense or the
 * other listeners.
 *
 * @throws InvalidSignalSubscriptionError when `sense` is neither a sense name nor `"*"`.
 */
export function OnSignal(sense: SignalSource): MethodDecorator {
  if (sense !== "*" && !(typeof sense === "string" && NAME_PATTERN.test(sense))) {
    throw new InvalidSignalSubscriptionError(sense);
  }
  return OnEvent(signalEvent(sense), { suppressErrors: true });
}
