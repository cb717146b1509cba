import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LogRow } from "@nerve/core";

/** The UTC day of an epoch ms instant, `YYYY-MM-DD` (the archive's file names). */
export function dayOf(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/**
 * Log rows already moved to `data/archive/logs/YYYY-MM-DD.jsonl`, looked up by ref id or by
 * type and time (`nerve trace`, `nerve replay`). A day file is read once, and only when a row
 * needed is older than the last archived day; only rows with a ref id are kept from it.
 */
export class ArchiveRows {
  private readonly days = new Map<string, Map<string, LogRow[]>>();

  /**
   * @param dir `data/archive/logs`
   * @param lastDay the last day archived (`meta.archive.last_day`), or null when none was.
   */
  constructor(
    private readonly dir: string,
    private readonly lastDay: string | null,
  ) {}

  /** Whether rows of this instant may be in the archive rather than the database. */
  covers(ts: number): boolean {
    return this.lastDay !== null && dayOf(ts) <= this.lastDay;
  }

  /** Archived rows about `refId` from the days `from`..`to` (epoch ms), in id order. */
  rowsAbout(refId: string, from: number, to: number): LogRow[] {
    const rows: LogRow[] = [];
    for (const byRef of this.daysBetween(from, to)) rows.push(...(byRef.get(refId) ?? []));
    return rows.sort((a, b) => a.id - b.id);
  }

  /** Archived rows of `type` with `from <= ts <= to` (epoch ms), in id order. */
  rowsBetween(type: string, from: number, to: number): LogRow[] {
    const rows: LogRow[] = [];
    for (const byRef of this.daysBetween(from, to)) {
      for (const list of byRef.values()) {
        for (const row of list)
          if (row.type === type && row.ts >= from && row.ts <= to) rows.push(row);
      }
    }
    return rows.sort((a, b) => a.id - b.id);
  }

  /** The archived days of `from`..`to` (epoch ms), each as its rows by ref id, oldest first. */
  private *daysBetween(from: number, to: number): Generator<Map<string, LogRow[]>> {
    if (this.lastDay === null) return;
    for (let t = Math.floor(from / DAY_MS) * DAY_MS; t <= to; t += DAY_MS) {
      const day = dayOf(t);
      if (day > this.lastDay) return;
      yield this.day(day);
    }
  }

  private day(day: string): Map<string, LogRow[]> {
    let byRef = this.days.get(day);
    if (byRef !== undefined) return byRef;
    byRef = new Map();
    this.days.set(day, byRef);
    const file = join(this.dir, `${day}.jsonl`);
    if (!existsSync(file)) return byRef;
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (line === "" || line.startsWith('{"summary"')) continue;
      let row: LogRow & { summary?: unknown };
      try {
        row = JSON.parse(line) as LogRow;
      } catch {
        continue; // `nerve store verify` reports damaged lines; a trace shows what it can.
      }
      if (typeof row.refId !== "string") continue;
      const list = byRef.get(row.refId);
      const kept: LogRow = {
        id: row.id,
        ts: row.ts,
        source: row.source,
        type: row.type,
        refId: row.refId,
        payload: row.payload,
      };
      if (list === undefined) byRef.set(row.refId, [kept]);
      else list.push(kept);
    }
    return byRef;
  }
}
