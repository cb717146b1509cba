import { createHash } from "node:crypto";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import {
  BlobIntegrityError,
  BlobNotFoundError,
  InvalidBlobHashError,
} from "../errors/blob.error.js";
import { BlobStore } from "./blob-store.js";

describe(BlobStore.name, () => {
  let root: string;
  let cleanup: () => void;
  let blobs: BlobStore;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    blobs = new BlobStore(root);
  });
  afterEach(() => cleanup());

  describe("put and get", () => {
    it("stores data under its sha256 in data/blobs/<2 hex>/<62 hex> and reads it back", () => {
      const data = Buffer.from("hello blobs");
      const hash = blobs.put(data);
      expect(hash).toBe(createHash("sha256").update(data).digest("hex"));
      const file = join(root, "data", "blobs", hash.slice(0, 2), hash.slice(2));
      expect(statSync(file).size).toBe(data.length);
      expect(blobs.get(hash)).toEqual(data);
      expect(blobs.has(hash)).toBe(true);
    });

    it("stores strings as UTF-8 and Uint8Arrays as bytes", () => {
      expect(blobs.get(blobs.put("héllo")).toString("utf8")).toBe("héllo");
      expect([...blobs.get(blobs.put(new Uint8Array([1, 2, 3])))]).toEqual([1, 2, 3]);
    });

    it("does not rewrite a blob that exists, and leaves no temp file", () => {
      const hash = blobs.put("same");
      const file = blobs.pathOf(hash);
      writeFileSync(file, "SAME"); // same size, other bytes: a rewrite would repair it
      expect(blobs.put("same")).toBe(hash);
      expect(() => blobs.get(hash)).toThrow(BlobIntegrityError);
      expect(readdirSync(join(root, "data", "blobs", hash.slice(0, 2)))).toEqual([hash.slice(2)]);
    });

    it("replaces an existing blob file of the wrong size", () => {
      const hash = blobs.put("complete content");
      writeFileSync(blobs.pathOf(hash), "trunc");
      blobs.put("complete content");
      expect(blobs.get(hash).toString()).toBe("complete content");
    });
  });

  describe("integrity", () => {
    it("fails a read whose content no longer matches its name, naming the hash", () => {
      const hash = blobs.put("original");
      writeFileSync(blobs.pathOf(hash), "tampered");
      expect(() => blobs.get(hash)).toThrow(BlobIntegrityError);
      expect(() => blobs.get(hash)).toThrow(new RegExp(`blob ${hash} failed its integrity check`));
    });

    it("reports a missing blob", () => {
      const hash = "a".repeat(64);
      expect(blobs.has(hash)).toBe(false);
      expect(() => blobs.get(hash)).toThrow(BlobNotFoundError);
    });
  });

  describe("hash validation", () => {
    it.each([
      "../../etc/passwd",
      "ab/../../x",
      "a".repeat(63),
      "g".repeat(64),
      `${"a".repeat(64)}/x`,
      "",
    ])("rejects %j as a blob hash", (bad) => {
      expect(() => blobs.get(bad)).toThrow(InvalidBlobHashError);
      expect(() => blobs.has(bad)).toThrow(InvalidBlobHashError);
    });

    it("accepts an upper-case digest for the same blob", () => {
      const hash = blobs.put("case");
      expect(blobs.get(hash.toUpperCase()).toString()).toBe("case");
    });
  });
});
