/**
 * Base class of every error the store throws on purpose, so callers can tell a store failure
 * (bad input, missing file, refused write) from a programming error. `name` is the subclass
 * name, so an error serialised across a process boundary as `{ name, message, stack }` can be
 * restored to its class on the other side.
 */
export abstract class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A query's filters or paging are malformed (negative limit, non-integer round, …). */
export class InvalidQueryError extends StoreError {}

/** SQLite's own message for a caught error, whatever was thrown. */
export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
