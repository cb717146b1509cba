import type { SenseContext } from "@nerve/core";
import type { Vitals } from "../vitals/compute.ts";

/** Samples in the rolling baseline: the previous 15 (30 s at one sample every 2 s). */
const BASELINE_SAMPLES = 15;
/** A reading this far above its baseline starts a checkup right away. */
const SPIKE = 1.25;
/** Without a spike, a routine checkup every this many samples (8 s). */
const ROUTINE_EVERY = 4;
/** Never two checkups closer than this many samples, however spiky the machine. */
const MIN_GAP = 2;

interface Baseline {
  load1: number | null;
  memoryPct: number | null;
  samples: number;
}

/**
 * Runs on every vitals signal (signals that arrive while it runs are coalesced into the next
 * compute, oldest first). It files the verdicts of finished checkups from the log into its
 * database, then decides on the newest sample: a checkup when load or memory is 25% above its
 * rolling baseline, or a routine one every 4th sample — so one starts within seconds on any
 * machine. A checkup starts by returning a workflow directive (`name|maxRounds|prompt`); any
 * other return would be a signal, and null is nothing.
 */
export function compute(ctx: SenseContext) {
  fileVerdicts(ctx);
  const latest = ctx.trigger.signals.at(-1)?.payload as Vitals | undefined;
  if (!latest) return null;

  const baseline = ctx
    .peer("vitals") // read-only: vitals' database belongs to vitals
    .prepare(
      `SELECT avg(load1) AS load1, avg(memory_pct) AS memoryPct, count(*) AS samples
       FROM (SELECT load1, memory_pct FROM samples WHERE id < ? ORDER BY id DESC LIMIT ?)`,
    )
    .get(latest.sampleId, BASELINE_SAMPLES) as Baseline;
  const last = ctx.db.prepare("SELECT max(sample_id) FROM launches").pluck().get() as number | null;
  const since = latest.sampleId - (last ?? 0);
  if (since < MIN_GAP) return null;

  const reason = spike(latest, baseline) ?? (since >= ROUTINE_EVERY ? "routine checkup" : null);
  if (reason === null) return null;
  ctx.db
    .prepare("INSERT INTO launches (sample_id, ts, reason) VALUES (?, ?, ?)")
    .run(latest.sampleId, latest.ts, reason);
  ctx.logger.info(`sample #${latest.sampleId}: ${reason}; starting a checkup`);
  return { workflow: `checkup|4|${reason}`, sample: latest, baseline };
}

function spike(sample: Vitals, baseline: Baseline): string | null {
  if (baseline.samples < 3) return null; // too early to tell
  if (baseline.load1 !== null && baseline.load1 > 0 && sample.load1 > baseline.load1 * SPIKE) {
    return `load ${sample.load1} is ${ratio(sample.load1, baseline.load1)}x its baseline ${baseline.load1.toFixed(2)}`;
  }
  if (baseline.memoryPct !== null && sample.memoryPct > baseline.memoryPct * SPIKE) {
    return `memory ${sample.memoryPct}% is ${ratio(sample.memoryPct, baseline.memoryPct)}x its baseline ${baseline.memoryPct.toFixed(1)}%`;
  }
  return null;
}

function ratio(value: number, base: number): string {
  return (value / base).toFixed(2);
}

/**
 * The log holds every message of every run: the `report` round of a checkup carries its
 * verdict. Files the ones not filed yet (the log is readable by senses, never a trigger).
 */
function fileVerdicts(ctx: SenseContext): void {
  const filed =
    (ctx.db.prepare("SELECT max(log_id) FROM findings").pluck().get() as number | null) ?? 0;
  const insert = ctx.db.prepare(
    "INSERT OR IGNORE INTO findings (run_id, log_id, ts, verdict) VALUES (?, ?, ?, ?)",
  );
  const rows = ctx.log.query({ source: "workflow:checkup", type: "workflow.message", limit: 100 });
  for (const row of rows) {
    const message = row.payload as { kind: string; role?: string; content?: unknown };
    if (row.id <= filed || message.kind !== "role" || message.role !== "report") continue;
    insert.run(row.refId, row.id, row.ts, String(message.content));
  }
}
