import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

/** A temp file name in the same directory as `file` (so the final rename is atomic). */
export function tempPathFor(file: string): string {
  return join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
}

/** Whether a file name is one of {@link tempPathFor}'s, left behind by a crash. */
export function isTempName(name: string): boolean {
  return name.startsWith(".") && name.endsWith(".tmp");
}

/** fsyncs a directory, so a rename or create inside it survives a power loss. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch (error) {
    // Some platforms cannot fsync a directory (EISDIR/EINVAL/EPERM); the rename is still atomic.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EINVAL" && code !== "EPERM") throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `data` to `file` atomically and durably: a temp file in the same directory, fsync,
 * rename over `file`, fsync of the directory. A crash leaves either the old file or the new
 * one, never a partial one.
 */
export function writeFileDurable(file: string, data: Uint8Array): void {
  const temp = tempPathFor(file);
  try {
    const fd = openSync(temp, "wx", 0o644);
    try {
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(file));
}
