import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ArchiveFileError } from "../errors/archive.error.js";
import { parsePayload, type StoredLogRow } from "../log/log-codec.js";

/** One day in milliseconds; archive days are UTC days. */
export const DAY_MS = 86_400_000;

/** The UTC day of an epoch ms instant, as `YYYY-MM-DD`. */
export function utcDay(ts: number): string {
  return new Date(Math.floor(ts / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The archive line of a row: `{id, ts, source, type, refId, payload}` with payload parsed. */
export function archiveLine(row: StoredLogRow): string {
  return `${JSON.stringify({
    id: row.id,
    ts: row.ts,
    source: row.source,
    type: row.type,
    refId: row.refId,
    payload: parsePayload(row.payload),
  })}\n`;
}

/**
 * The ids in an existing archive file, read line by line.
 *
 * @throws ArchiveFileError for a line that is not a JSON object with a numeric id.
 */
export async function readArchivedIds(file: string): Promise<Set<number>> {
  const ids = new Set<number>();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === "") continue;
    let id: unknown;
    try {
      id = (JSON.parse(line) as { id?: unknown }).id;
    } catch (error) {
      throw new ArchiveFileError(file, lineNo, (error as Error).message);
    }
    if (typeof id !== "number" || !Number.isSafeInteger(id)) {
      throw new ArchiveFileError(file, lineNo, "no numeric id");
    }
    ids.add(id);
  }
  return ids;
}
