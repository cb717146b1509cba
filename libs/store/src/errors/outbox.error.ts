import { StoreError, reasonOf } from "./store.error.js";

/** The federation outbox (`data/federation.db`) cannot be opened: unreadable, not SQLite, damaged. */
export class OutboxOpenError extends StoreError {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `cannot open the federation outbox ${file}: ${reasonOf(cause)}; signals of this daemon ` +
        "are not published until it opens (move a damaged file away, with its -wal and -shm files)",
      { cause },
    );
  }
}
