import { createReadStream, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { LogRow } from "@nerve/core";
import { ArchiveFileError } from "../errors/archive.error.js";
import { storePaths } from "../paths.js";
import type { WorkflowRunRecord } from "../runs/run-types.js";
import { DAY_MS, summaryOf, utcDay } from "./archive-file.js";
import {
  dayWithin,
  readRunLines,
  runIdTimeRange,
  runLineHas,
  runOfLine,
} from "./run-archive-file.js";

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/**
 * Reads runs back from `data/archive/runs/` (see RunArchive) and the log rows about a run from
 * `data/archive/logs/` (see LogArchive): what `nerve workflow inspect|thread` show for a run
 * no longer in the database. Files are streamed; only the lines that name the run are parsed.
 */
export class RunArchiveReader {
  private readonly runsDir: string;
  private readonly logsDir: string;

  /** @param root the workspace root */
  constructor(root: string) {
    const paths = storePaths(root);
    this.runsDir = paths.runArchive;
    this.logsDir = paths.archive;
  }

  /**
   * Archived runs whose id starts with `prefix` (a whole id finds that run), at most `limit`,
   * in id order. A run id names its creation time, so for a run id or a prefix of one only
   * the day files around that time are read; when they hold no match (an id not minted by
   * newRunId) and `everywhere` is true, every day file is.
   *
   * @throws ArchiveFileError for a matching line that cannot be read.
   */
  async find(prefix: string, limit: number, everywhere = true): Promise<WorkflowRunRecord[]> {
    const days = dayFiles(this.runsDir);
    const range = runIdTimeRange(prefix);
    const near = range === null ? [] : days.filter((day) => dayWithin(day, range.lo, range.hi));
    let found = await this.scan(near, prefix, limit);
    if (found.size === 0 && everywhere) {
      found = await this.scan(
        days.filter((day) => !near.includes(day)),
        prefix,
        limit,
      );
    }
    return [...found.values()].sort((a, b) => (a.runId < b.runId ? -1 : 1));
  }

  /**
   * The log rows about the run (`ref_id` = its id) in the log archive, in id order: read from
   * the day files of its creation to the day after its end.
   *
   * @throws ArchiveFileError for a line about the run that cannot be read.
   */
  async logRows(
    run: Pick<WorkflowRunRecord, "runId" | "createdAt" | "endedAt">,
  ): Promise<LogRow[]> {
    const first = utcDay(run.createdAt);
    const last = utcDay(Math.max(run.endedAt ?? run.createdAt, run.createdAt) + DAY_MS);
    const needle = `"refId":${JSON.stringify(run.runId)}`;
    const rows: LogRow[] = [];
    for (const day of dayFiles(this.logsDir)) {
      if (day < first || day > last) continue;
      const file = join(this.logsDir, `${day}.jsonl`);
      const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
      let lineNo = 0;
      for await (const line of lines) {
        lineNo += 1;
        if (!line.includes(needle)) continue;
        const parsed = parseLine(file, lineNo, line);
        if (summaryOf(parsed) !== null || parsed.refId !== run.runId) continue;
        rows.push({
          id: parsed.id as number,
          ts: parsed.ts as number,
          source: parsed.source as string,
          type: parsed.type as string,
          refId: run.runId,
          payload: parsed.payload ?? null,
        });
      }
    }
    return rows.sort((a, b) => a.id - b.id);
  }

  private async scan(
    days: readonly string[],
    prefix: string,
    limit: number,
  ): Promise<Map<string, WorkflowRunRecord>> {
    const found = new Map<string, WorkflowRunRecord>();
    for (const day of days) {
      if (found.size >= limit) break;
      await readRunLines(
        join(this.runsDir, `${day}.jsonl`),
        (_line, runId, parsed) => {
          if (runId.startsWith(prefix) && found.size < limit) found.set(runId, runOfLine(parsed));
        },
        (line) => runLineHas(line, prefix),
      );
    }
    return found;
  }
}

/** The days (`YYYY-MM-DD`) that have a file in `dir`, oldest first. */
function dayFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => DAY_FILE.exec(name)?.[1])
    .filter((day): day is string => day !== undefined)
    .sort();
}

function parseLine(file: string, lineNo: number, line: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(line) as unknown;
    if (typeof parsed === "object" && parsed !== null) return parsed as Record<string, unknown>;
    throw new Error("not a JSON object");
  } catch (error) {
    throw new ArchiveFileError(file, lineNo, (error as Error).message);
  }
}
