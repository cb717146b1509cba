import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ArchiveFileError } from "../errors/archive.error.js";
import { parsePayload } from "../log/log-codec.js";

/** One day in milliseconds; archive days are UTC days. */
export const DAY_MS = 86_400_000;

/** A log row as the archive reads it from the database: its columns, payload as JSON text. */
export interface ArchivedRow {
  id: number;
  ts: number;
  source: string;
  type: string;
  refId: string | null;
  payload: string | null;
  hash: string | null;
}

/**
 * The last line of every day file: it closes the day's part of the chain. `digest` is the
 * sha256 of every row line above it, bytes and newlines, so a line reordered, edited, added or
 * cut off is found from the file alone.
 */
export interface DaySummary {
  day: string;
  firstId: number;
  lastId: number;
  lastHash: string | null;
  rows: number;
  digest: string;
}

/** The UTC day of an epoch ms instant, as `YYYY-MM-DD`. */
export function utcDay(ts: number): string {
  return new Date(Math.floor(ts / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The JSON text a parsed payload stringifies back to (null for no payload). */
export function restringified(payload: unknown): string | null {
  return payload === null ? null : JSON.stringify(payload);
}

/**
 * The archive line of a row: `{id, ts, source, type, refId, payload, hash}` with payload
 * parsed. When the stored text is not exactly what the parsed payload stringifies to (other
 * spacing, text that is not JSON), `payloadText` keeps it, so the row's hash can be checked.
 */
export function archiveLine(row: ArchivedRow): string {
  const payload = parsePayload(row.payload);
  const line: Record<string, unknown> = {
    id: row.id,
    ts: row.ts,
    source: row.source,
    type: row.type,
    refId: row.refId,
    payload,
    hash: row.hash,
  };
  if (restringified(payload) !== row.payload) line.payloadText = row.payload;
  return `${JSON.stringify(line)}\n`;
}

/** The summary line of a day file. */
export function summaryLine(summary: DaySummary): string {
  return `${JSON.stringify({ summary })}\n`;
}

/** The summary of a parsed line, or null for a row line. */
export function summaryOf(parsed: unknown): DaySummary | null {
  const summary = (parsed as { summary?: unknown }).summary;
  return typeof summary === "object" && summary !== null ? (summary as DaySummary) : null;
}

/** Builds a day's summary while its row lines are written. */
export class SummaryBuilder {
  private readonly digest: Hash = createHash("sha256");
  private first = 0;
  private last = 0;
  private lastHash: string | null = null;
  private count = 0;

  constructor(private readonly day: string) {}

  add(line: string, id: number, hash: string | null): void {
    this.digest.update(line);
    if (this.count === 0) this.first = id;
    this.last = id;
    this.lastHash = hash;
    this.count += 1;
  }

  get rows(): number {
    return this.count;
  }

  line(): string {
    return summaryLine({
      day: this.day,
      firstId: this.first,
      lastId: this.last,
      lastHash: this.lastHash,
      rows: this.count,
      digest: this.digest.digest("hex"),
    });
  }
}

/**
 * Reads an existing day file for a merge: every row line (newline included), its id and hash
 * passed to `onRow`, the summary line left out (the merge writes a new one).
 *
 * @throws ArchiveFileError for a line that is not a JSON object with a numeric id.
 */
export async function readArchiveRows(
  file: string,
  onRow: (line: string, id: number, hash: string | null) => void | Promise<void>,
): Promise<void> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === "") continue;
    let parsed: { id?: unknown; hash?: unknown };
    try {
      parsed = JSON.parse(line) as { id?: unknown; hash?: unknown };
    } catch (error) {
      throw new ArchiveFileError(file, lineNo, (error as Error).message);
    }
    if (summaryOf(parsed) !== null) continue;
    const id = parsed.id;
    if (typeof id !== "number" || !Number.isSafeInteger(id)) {
      throw new ArchiveFileError(file, lineNo, "no numeric id");
    }
    await onRow(`${line}\n`, id, typeof parsed.hash === "string" ? parsed.hash : null);
  }
}

/**
 * The ids in an existing archive file (its summary line skipped).
 *
 * @throws ArchiveFileError for a line that is not a JSON object with a numeric id.
 */
export async function readArchivedIds(file: string): Promise<Set<number>> {
  const ids = new Set<number>();
  await readArchiveRows(file, (_line, id) => {
    ids.add(id);
  });
  return ids;
}
