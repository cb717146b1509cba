import { statfsSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { dirname } from "node:path";
import type { SenseContext } from "@nerve/core";

/** What vitals emits: one sample, as stored in its `samples` table. */
export interface Vitals {
  sampleId: number;
  ts: number;
  load1: number;
  cores: number;
  memoryPct: number;
  diskFreePct: number;
}

/**
 * Samples the machine: the 1-minute load average, memory in use and free space on the file
 * system that holds the workspace. Stores the sample in this sense's database (the table comes
 * from migrations/001_samples.sql) and returns it, which makes it a signal.
 */
export function compute(ctx: SenseContext): Vitals {
  const disk = statfsSync(dirname(ctx.db.name)); // data/senses/vitals.db is in the workspace
  const sample = {
    ts: Date.now(),
    load1: round(loadavg()[0], 2),
    cores: cpus().length,
    memoryPct: round((1 - freemem() / totalmem()) * 100, 1),
    diskFreePct: round((disk.bavail / disk.blocks) * 100, 1),
  };
  const { lastInsertRowid } = ctx.db
    .prepare(
      "INSERT INTO samples (ts, load1, cores, memory_pct, disk_free_pct) VALUES (?, ?, ?, ?, ?)",
    )
    .run(sample.ts, sample.load1, sample.cores, sample.memoryPct, sample.diskFreePct);
  return { sampleId: Number(lastInsertRowid), ...sample };
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
