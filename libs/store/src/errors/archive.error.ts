import { StoreError } from "./store.error.js";

/** Another archive is running on the same workspace. */
export class ArchiveBusyError extends StoreError {
  constructor(
    readonly pid: number,
    readonly since: number,
  ) {
    super(
      `another log archive is running (process ${pid}, since ${new Date(since).toISOString()}); ` +
        "wait for it to finish and run the archive again",
    );
  }
}

/** An existing archive file cannot be read back for merging. */
export class ArchiveFileError extends StoreError {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
    expected = "expected one JSON object per line with a numeric id",
  ) {
    super(`archive file ${file}, line ${line}: ${reason}; ${expected}`);
  }
}

/** A day's archive file could not be written; no row of that day was deleted. */
export class ArchiveWriteError extends StoreError {
  constructor(
    readonly day: string,
    readonly file: string,
    reason: string,
    cause: unknown,
  ) {
    super(`archiving ${day} into ${file} failed, its rows stay in the database: ${reason}`, {
      cause,
    });
  }
}
