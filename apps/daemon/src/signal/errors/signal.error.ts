/** `SignalBus.subscribe` was given something that is neither a sense name nor `"*"`. */
export class InvalidSignalSubscriptionError extends Error {
  override readonly name = "InvalidSignalSubscriptionError";
  constructor(readonly sense: unknown) {
    super(
      `cannot subscribe to signals of ${JSON.stringify(sense)}: expected a sense name ` +
        `(^[a-z][a-z0-9-]{0,62}$) or "*" for every sense`,
    );
  }
}

/** The event emitter under the signal bus was created without wildcard support. */
export class SignalBusWildcardError extends Error {
  override readonly name = "SignalBusWildcardError";
  constructor() {
    super(
      "the signal bus needs an EventEmitter2 with wildcards on (EventEmitterModule.forRoot({ wildcard: true })): " +
        'without them "*" subscribers and @OnSignal("*") would never be called',
    );
  }
}
