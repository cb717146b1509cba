import { StoreError, reasonOf } from "./store.error.js";

/** A sense name that could escape `data/senses/` or is otherwise not allowed. */
export class InvalidSenseNameError extends StoreError {
  constructor(readonly senseName: string) {
    super(
      `invalid sense name ${JSON.stringify(senseName)}: expected ^[a-z][a-z0-9-]{0,62}$ ` +
        "(lowercase letter, then lowercase letters, digits or dashes, at most 63 characters)",
    );
  }
}

/** A sense migration failed; it is not recorded, the ones before it stay applied. */
export class MigrationError extends StoreError {
  constructor(
    readonly senseName: string,
    readonly file: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`migration ${file} of sense ${senseName} failed: ${reason}`, { cause });
  }
}

/** A sense database cannot be opened: not a SQLite file, damaged, unreadable. */
export class SenseDatabaseOpenError extends StoreError {
  constructor(
    readonly senseName: string,
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `sense ${senseName}: cannot open its database ${file}: ${reasonOf(cause)}; if the file is ` +
        "damaged, move it away (with its -wal and -shm files) and the sense starts a new one",
      { cause },
    );
  }
}

/** A read-only peer was asked for a sense database that was never created. */
export class SenseDatabaseNotFoundError extends StoreError {
  constructor(
    readonly senseName: string,
    readonly file: string,
  ) {
    super(`sense ${senseName} has no database yet (expected ${file})`);
  }
}

/** A write, or an operation that could write, on a read-only sense database handle. */
export class ReadOnlyDatabaseError extends StoreError {}

/** `sense query` SQL that is not a single read-only statement returning rows, or that failed. */
export class SenseQueryError extends StoreError {}
