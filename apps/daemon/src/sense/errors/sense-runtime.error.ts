/**
 * Base class of the errors the sense runtime raises on purpose. `name` is the subclass name, so
 * an error serialised across the worker boundary as `{ name, message, stack }` still says what
 * it is. Imported by the worker process: keep this file free of imports.
 */
export abstract class SenseRuntimeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A sense's compiled module could not be imported or exports no compute function. */
export class SenseLoadError extends SenseRuntimeError {
  constructor(
    readonly sense: string,
    readonly source: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`sense ${sense} cannot be loaded from ${source}: ${reason}`, options);
  }
}

/** A worker was asked to compute a sense it did not load. */
export class SenseNotLoadedError extends SenseRuntimeError {
  constructor(
    readonly sense: string,
    readonly group: string,
    reason: string,
  ) {
    super(`sense ${sense} is not loaded in the worker of group ${group}: ${reason}`);
  }
}

/** A compute's value cannot travel as a payload (not JSON-serialisable, or over 1 MiB). */
export class SenseResultError extends SenseRuntimeError {
  constructor(
    readonly sense: string,
    reason: string,
  ) {
    super(`compute of ${sense} returned a value that cannot be a payload: ${reason}`);
  }
}
