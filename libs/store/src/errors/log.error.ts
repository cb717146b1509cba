import { StoreError, reasonOf } from "./store.error.js";

/** A batch of log rows could not be committed; the rows stay buffered and are retried. */
export class LogCommitError extends StoreError {
  constructor(
    readonly file: string,
    readonly pendingRows: number,
    readonly attempt: number,
    cause: unknown,
  ) {
    super(
      `could not commit ${pendingRows} log row(s) to ${file} (attempt ${attempt}): ${reasonOf(cause)}; ` +
        "the rows stay buffered and are retried",
      { cause },
    );
  }
}

/** A row's payload cannot be stored as JSON text. */
export class LogPayloadError extends StoreError {
  constructor(source: string, type: string, cause: unknown) {
    super(
      `log row (source ${JSON.stringify(source)}, type ${JSON.stringify(type)}) has a payload ` +
        `that is not JSON-serialisable: ${reasonOf(cause)}`,
      { cause },
    );
  }
}

/** A row given to the log store is malformed (missing source or type, bad ts). */
export class InvalidLogRowError extends StoreError {}

/** `append` after `close()`. */
export class LogStoreClosedError extends StoreError {
  constructor(file: string) {
    super(`the log store on ${file} is closed; no row can be appended after close()`);
  }
}

/** `data/logs.db` does not exist and the caller asked not to create it. */
export class LogDatabaseNotFoundError extends StoreError {
  constructor(readonly file: string) {
    super(`no log database yet at ${file} (it is created when the daemon first starts)`);
  }
}

/** `data/logs.db` cannot be opened: not a SQLite file, damaged, unreadable. */
export class LogDatabaseOpenError extends StoreError {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `cannot open the log database ${file}: ${reasonOf(cause)}; if the file is damaged, move ` +
        "it away (with its -wal and -shm files) and start again with an empty log",
      { cause },
    );
  }
}

/** `data/logs.db` has a schema this build cannot use. */
export class LogSchemaError extends StoreError {}

/** `close()` could not commit the rows still buffered; they are lost with the process. */
export class LogCloseError extends StoreError {
  constructor(
    readonly file: string,
    readonly lostRows: number,
    cause: unknown,
  ) {
    super(
      `closing the log store on ${file}: ${lostRows} buffered row(s) could not be committed ` +
        `and are lost: ${reasonOf(cause)}`,
      { cause },
    );
  }
}
