import { StoreError } from "./store.error.js";

/** A string that is not a sha256 hex digest was used as a blob name. */
export class InvalidBlobHashError extends StoreError {
  constructor(readonly value: string) {
    super(
      `invalid blob hash ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}: ` +
        "expected 64 hexadecimal characters (a sha256 digest)",
    );
  }
}

/** No blob is stored under this hash. */
export class BlobNotFoundError extends StoreError {
  constructor(
    readonly hash: string,
    readonly file: string,
  ) {
    super(`blob ${hash} not found (expected at ${file})`);
  }
}

/** A blob's content no longer matches its name: the file was modified or damaged. */
export class BlobIntegrityError extends StoreError {
  constructor(
    readonly hash: string,
    readonly file: string,
    readonly actual: string,
  ) {
    super(
      `blob ${hash} failed its integrity check: ${file} now hashes to ${actual}; ` +
        "the file was modified or damaged and cannot be trusted",
    );
  }
}
