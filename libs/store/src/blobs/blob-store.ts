import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { BlobAccess } from "@nerve/core";
import {
  BlobIntegrityError,
  BlobNotFoundError,
  InvalidBlobHashError,
} from "../errors/blob.error.js";
import { fsyncDir, writeFileDurable } from "../fs-durable.js";
import { storePaths } from "../paths.js";

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Content-addressed blobs under `data/blobs/<2 hex>/<62 hex>` of their sha256. Writes are
 * atomic (temp file + fsync + rename) and idempotent; reads verify the content against the
 * name. Light: used directly inside worker processes.
 */
export class BlobStore implements BlobAccess {
  readonly dir: string;

  /** @param root the workspace root */
  constructor(root: string) {
    this.dir = storePaths(root).blobs;
  }

  /**
   * Stores `data` (a string is stored as UTF-8) and returns its sha256 hex digest. A blob
   * that already exists with the right size is not rewritten; one with the wrong size (a
   * damaged file) is replaced.
   */
  put(data: Buffer | Uint8Array | string): string {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const hash = createHash("sha256").update(bytes).digest("hex");
    const file = this.pathOf(hash);
    if (sizeOf(file) === bytes.length) return hash;
    const created = mkdirSync(join(this.dir, hash.slice(0, 2)), { recursive: true });
    if (created !== undefined) fsyncDir(dirname(created));
    writeFileDurable(file, bytes);
    return hash;
  }

  /**
   * The blob's bytes, after checking they still hash to `hash`.
   *
   * @throws InvalidBlobHashError, BlobNotFoundError, BlobIntegrityError
   */
  get(hash: string): Buffer {
    const file = this.pathOf(hash);
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new BlobNotFoundError(hash, file);
      }
      throw error;
    }
    const actual = createHash("sha256").update(data).digest("hex");
    if (actual !== hash.toLowerCase()) throw new BlobIntegrityError(hash, file, actual);
    return data;
  }

  /** Whether a blob with this hash is stored (its content is not verified). */
  has(hash: string): boolean {
    return existsSync(this.pathOf(hash));
  }

  /**
   * The file of a blob. Only a 64-character hex digest is accepted (upper case is folded),
   * so no name can point outside `data/blobs/`.
   *
   * @throws InvalidBlobHashError
   */
  pathOf(hash: string): string {
    const normalized = typeof hash === "string" ? hash.toLowerCase() : "";
    if (!SHA256_HEX.test(normalized)) throw new InvalidBlobHashError(String(hash));
    return join(this.dir, normalized.slice(0, 2), normalized.slice(2));
  }
}

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}
