import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ArchiveFileError, ArchiveWriteError } from "../errors/archive.error.js";
import { reasonOf } from "../errors/store.error.js";
import { fsyncDir, isTempName, tempPathFor } from "../fs-durable.js";

/**
 * Fills a day file's new content through `write`; resolves with whether it added anything to
 * what the file held before.
 */
export type DayFileFill = (write: (chunk: string) => Promise<void>) => Promise<boolean>;

/**
 * Replaces the day file `file` durably with what `fill` writes (the log archive and the run
 * archive both): into a temp file in the same directory, fsynced, renamed over `file`, the
 * directory fsynced. When the file existed and `fill` added nothing, the temp file is dropped
 * and `file` left as it is. A crash leaves the old file or the new one, never a partial one.
 *
 * @throws ArchiveFileError as `fill` throws it (an existing file that cannot be read back).
 * @throws ArchiveWriteError the file could not be written, synced or renamed.
 */
export async function writeDayFileDurable(
  day: string,
  file: string,
  fill: DayFileFill,
): Promise<void> {
  const existed = existsSync(file);
  const temp = tempPathFor(file);
  try {
    const handle = await open(temp, "wx", 0o644);
    let added: boolean;
    try {
      added = await fill(async (chunk) => {
        await handle.write(chunk);
      });
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (added || !existed) {
      await rename(temp, file);
      fsyncDir(dirname(file));
    } else {
      await rm(temp, { force: true });
    }
  } catch (error) {
    await rm(temp, { force: true });
    if (error instanceof ArchiveFileError) throw error;
    throw new ArchiveWriteError(day, file, reasonOf(error), error);
  }
}

/** Creates `dir` if needed, and makes each directory it created durable in its parent. */
export function ensureDurableDir(dir: string): void {
  const created = mkdirSync(dir, { recursive: true });
  if (created !== undefined) {
    // Up to the first one that existed.
    for (let d = dir; d !== dirname(created); d = dirname(d)) fsyncDir(dirname(d));
  }
}

/** Deletes the temp files of a run that crashed before its rename (nothing not in the db). */
export function removeLeftoverTempFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (isTempName(name)) rmSync(join(dir, name), { force: true });
  }
}
