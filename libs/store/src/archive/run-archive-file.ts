import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { ArchiveFileError } from "../errors/archive.error.js";
import { parsePayload } from "../log/log-codec.js";
import type { WorkflowRunRecord } from "../runs/run-types.js";
import { DAY_MS, restringified } from "./archive-file.js";

/** A `workflow_runs` row as the run archive reads it: its columns, payload as JSON text. */
export type StoredRunRow = Omit<WorkflowRunRecord, "payload"> & { payload: string | null };

/** The columns of a run row, in the order of its archive line (`runId` first: see runLineHas). */
export const RUN_ROW_COLUMNS =
  "run_id AS runId, workflow, status, rounds, max_rounds AS maxRounds, prompt, source, " +
  "cause_id AS causeId, created_at AS createdAt, started_at AS startedAt, ended_at AS endedAt, " +
  "end_reason AS endReason, error, payload, resumes, updated_at AS updatedAt";

/**
 * The archive line of a run: its record with payload parsed; `payloadText` keeps the stored
 * text when it is not exactly what the parsed payload stringifies to.
 */
export function runLine(row: StoredRunRow): string {
  const payload = parsePayload(row.payload);
  const line: Record<string, unknown> = { ...row, payload };
  if (restringified(payload) !== row.payload) line.payloadText = row.payload;
  return `${JSON.stringify(line)}\n`;
}

/** Whether a line may be the run of `prefix` (a cheap test before parsing it). */
export function runLineHas(line: string, prefix: string): boolean {
  return line.startsWith(`{"runId":${JSON.stringify(prefix).slice(0, -1)}`);
}

/** The run of an archive line. */
export function runOfLine(parsed: Record<string, unknown>): WorkflowRunRecord {
  const { payloadText: _text, ...run } = parsed;
  return run as unknown as WorkflowRunRecord;
}

/**
 * Reads a runs day file: every line (newline included) with its parsed object and run id.
 * A missing file reads as empty.
 *
 * @throws ArchiveFileError for a line that is not a JSON object with a string runId.
 */
export async function readRunLines(
  file: string,
  onLine: (line: string, runId: string, parsed: Record<string, unknown>) => void | Promise<void>,
  filter: (line: string) => boolean = () => true,
): Promise<void> {
  if (!existsSync(file)) return;
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (line.trim() === "" || !filter(line)) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new ArchiveFileError(file, lineNo, (error as Error).message, RUN_LINE_EXPECTED);
    }
    const runId = typeof parsed === "object" && parsed !== null ? parsed.runId : undefined;
    if (typeof runId !== "string") {
      throw new ArchiveFileError(file, lineNo, "no string runId", RUN_LINE_EXPECTED);
    }
    await onLine(`${line}\n`, runId, parsed);
  }
}

const RUN_LINE_EXPECTED = "expected one JSON object per line with a string runId";

/**
 * The span of creation times of the run ids starting with `prefix`, or null when the prefix
 * does not read as the time part of a UUID version 7 (any run id could then start with it).
 */
export function runIdTimeRange(prefix: string): { lo: number; hi: number } | null {
  // xxxxxxxx-xxxx: 12 hex digits of ms, a dash after the 8th.
  const head = prefix.slice(0, 13);
  if (!/^[0-9a-f]{1,8}(-[0-9a-f]{0,4})?$/i.test(head) || (head.length > 8 && head[8] !== "-")) {
    return null;
  }
  const hex = head.replace("-", "");
  const lo = parseInt(hex.padEnd(12, "0"), 16);
  const hi = parseInt(hex.padEnd(12, "f"), 16);
  return { lo, hi };
}

/**
 * Whether a day file (`YYYY-MM-DD`) may hold runs created in [lo, hi]: the day of `lo` to the
 * day after that of `hi`, since a run id is minted a moment before the run's `created_at` is
 * taken, which may fall on the next day.
 */
export function dayWithin(day: string, lo: number, hi: number): boolean {
  const start = Date.parse(`${day}T00:00:00Z`);
  return start + DAY_MS > lo && start <= hi + DAY_MS;
}
