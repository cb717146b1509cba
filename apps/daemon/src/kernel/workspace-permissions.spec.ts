import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UnsafeWorkspaceError } from "./errors/unsafe-workspace.error.js";
import { ensurePrivateData } from "./workspace-permissions.js";

describe(ensurePrivateData.name, () => {
  let root: string;
  let data: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "nerve-perms-"));
    data = join(root, "data");
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("creates a missing data folder that only its owner can write, whatever the umask", () => {
    const umask = process.umask(0);
    try {
      ensurePrivateData(root);
    } finally {
      process.umask(umask);
    }
    expect(statSync(data).mode & 0o7777).toBe(0o755);
    expect(() => ensurePrivateData(root)).not.toThrow();
  });

  it("accepts a data folder only its owner (and its group) can write", () => {
    mkdirSync(data);
    chmodSync(data, 0o755);
    expect(() => ensurePrivateData(root)).not.toThrow();
    chmodSync(data, 0o775);
    expect(() => ensurePrivateData(root)).not.toThrow();
  });

  it("refuses a data folder every user can write, naming it, its mode and the fix", () => {
    mkdirSync(data);
    chmodSync(data, 0o777);
    expect(() => ensurePrivateData(root)).toThrow(UnsafeWorkspaceError);
    expect(() => ensurePrivateData(root)).toThrow(
      `refusing to start: ${data} is writable by every user (mode 0777), so others could ` +
        `change the log and the sense databases; expected a folder only its owner can write ` +
        `(run \`chmod o-w ${data}\`)`,
    );
    chmodSync(data, 0o1777);
    expect(() => ensurePrivateData(root)).toThrow(/mode 1777/);
  });

  it("refuses a data folder that belongs to another user", () => {
    const uid = process.getuid?.();
    if (uid !== 0) return; // Only root can give a folder away; elsewhere the case cannot arise.
    mkdirSync(data, { mode: 0o755 });
    chownSync(data, 12_345, 12_345);
    expect(() => ensurePrivateData(root)).toThrow(
      /belongs to user 12345, not to the daemon's user 0/,
    );
  });

  it("refuses a data path that is not a folder", () => {
    writeFileSync(data, "");
    expect(() => ensurePrivateData(root)).toThrow(/data is not a folder/);
  });
});
