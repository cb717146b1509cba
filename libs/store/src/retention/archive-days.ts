import { closeSync, openSync, readSync, readdirSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { readArchiveRows, summaryOf, type DaySummary } from "../archive/archive-file.js";

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** One archived UTC day: its files in each archive folder (`logs/`, `runs/`) and their bytes. */
export interface ArchivedDay {
  day: string;
  files: string[];
  bytes: number;
}

/**
 * The archived days under `data/archive/` (every subfolder: `logs/`, `runs/`), oldest first,
 * each with all of its files, so a day leaves the archive whole.
 */
export function listArchivedDays(archiveRoot: string): ArchivedDay[] {
  const days = new Map<string, ArchivedDay>();
  for (const folder of listDir(archiveRoot)) {
    const dir = join(archiveRoot, folder);
    for (const name of listDir(dir)) {
      const day = DAY_FILE.exec(name)?.[1];
      if (day === undefined) continue;
      const file = join(dir, name);
      const entry = days.get(day) ?? { day, files: [], bytes: 0 };
      entry.files.push(file);
      entry.bytes += sizeOf(file);
      days.set(day, entry);
    }
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** Bytes of every file under `dir`, recursively (0 when it does not exist). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of listDirEntries(dir)) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : sizeOf(path);
  }
  return total;
}

/** The size of a file, 0 when it is gone. */
export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Where a log day file ends the chain: its summary line (the last line), or for a file
 * archived before the chain existed, its highest id and the hash found with it.
 */
export async function daySummaryOf(
  file: string,
): Promise<Pick<DaySummary, "lastId" | "lastHash" | "rows">> {
  const last = lastLineOf(file);
  if (last !== null) {
    try {
      const summary = summaryOf(JSON.parse(last));
      if (summary !== null) return summary;
    } catch {
      // An unreadable last line: fall back to reading the rows.
    }
  }
  let lastId = 0;
  let lastHash: string | null = null;
  let rows = 0;
  await readArchiveRows(file, (_line, id, hash) => {
    rows += 1;
    if (id > lastId) {
      lastId = id;
      lastHash = hash;
    }
  });
  return { lastId, lastHash, rows };
}

function listDir(dir: string): string[] {
  return listDirEntries(dir).map((entry) => entry.name);
}

function listDirEntries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The summary line is short: the last 64 KiB of a day file hold it. */
const TAIL_BYTES = 64 * 1024;

/** The last non-empty line of a file, read from its tail only. */
function lastLineOf(file: string): string | null {
  const size = sizeOf(file);
  const length = Math.min(size, TAIL_BYTES);
  if (length === 0) return null;
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buffer
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  return lines.length < 2 && length < size ? null : (lines.at(-1) ?? null);
}
