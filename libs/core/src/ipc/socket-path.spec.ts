import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_SOCKET_PATH_BYTES, socketPathFor } from "./socket-path.js";

const opts = { tmpdir: "/tmp", uid: 1000 };
const hash16 = (root: string) => createHash("sha256").update(root).digest("hex").slice(0, 16);

/** A root whose `<root>/nerve.sock` is exactly `bytes` long. */
function rootFor(bytes: number): string {
  return `/w/${"a".repeat(bytes - "/w/".length - "/nerve.sock".length)}`;
}

describe(socketPathFor.name, () => {
  it("puts the socket in the workspace when the path is short", () => {
    expect(socketPathFor("/home/ann/ws", opts)).toBe("/home/ann/ws/nerve.sock");
  });

  it("resolves a relative root against the current directory", () => {
    expect(socketPathFor("ws", opts)).toBe(`${process.cwd()}/ws/nerve.sock`);
    expect(socketPathFor("/home/ann/ws/../ws/", opts)).toBe("/home/ann/ws/nerve.sock");
  });

  it("keeps a path of exactly the limit in the workspace", () => {
    const root = rootFor(MAX_SOCKET_PATH_BYTES);
    expect(socketPathFor(root, opts)).toBe(`${root}/nerve.sock`);
  });

  it("falls back to a per-user directory one byte over the limit", () => {
    const root = rootFor(MAX_SOCKET_PATH_BYTES + 1);
    expect(socketPathFor(root, opts)).toBe(`/tmp/nerve-1000/${hash16(root)}.sock`);
  });

  it("counts bytes, not characters", () => {
    // 45 two-byte characters: 45 characters but 90 bytes, plus "/w/" and "/nerve.sock".
    const root = `/w/${"é".repeat(45)}`;
    expect(socketPathFor(root, opts)).toBe(`/tmp/nerve-1000/${hash16(root)}.sock`);
  });

  it("derives the same short path from equivalent spellings of a root", () => {
    const root = `/srv/${"deep/".repeat(30)}ws`;
    const a = socketPathFor(root, opts);
    expect(socketPathFor(`${root}/`, opts)).toBe(a);
    expect(socketPathFor(`${root}/./x/..`, opts)).toBe(a);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
  });

  it("derives different paths for different workspaces and users", () => {
    const long = `/srv/${"deep/".repeat(30)}`;
    const a = socketPathFor(`${long}a`, opts);
    expect(socketPathFor(`${long}b`, opts)).not.toBe(a);
    expect(socketPathFor(`${long}a`, { ...opts, uid: 1001 })).toBe(
      a.replace("nerve-1000", "nerve-1001"),
    );
  });

  it("defaults to the system temporary directory and the current user", () => {
    const root = `/srv/${"deep/".repeat(30)}ws`;
    const path = socketPathFor(root);
    expect(path).toMatch(new RegExp(`/nerve-${process.getuid?.() ?? 0}/${hash16(root)}\\.sock$`));
  });
});
