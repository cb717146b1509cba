import { formatDuration, parseDuration } from "@nerve/core";
import { UsageError } from "../common/cli-errors.js";

/** How many instants `nerve sense backfill` runs without a higher `--max`. */
export const DEFAULT_BACKFILL_MAX = 1_000;

/** The instants of a backfill: `from`, `from + step`, … up to `to` included (epoch ms). */
export interface BackfillPlan {
  from: number;
  to: number;
  stepMs: number;
  instants: number[];
}

/**
 * `--step`: a duration of at least 1 ms (`15m`, `1h`, `1d`).
 *
 * @throws UsageError naming the flag, what was given and what is expected.
 */
export function parseStep(value: string): number {
  const parsed = parseDuration(value.trim());
  if (!parsed.ok) throw new UsageError(`--step: ${parsed.error}`);
  if (parsed.value < 1) {
    throw new UsageError(
      `--step: expected a duration of at least 1ms, got ${JSON.stringify(value)}`,
    );
  }
  return parsed.value;
}

/**
 * The instants from `from` to `to` by `stepMs`, in order, checked before anything runs.
 *
 * @throws UsageError when `from` is after `to`, the step is not positive, or the range makes
 *   more than `max` instants.
 */
export function planBackfill(options: {
  from: number;
  to: number;
  stepMs: number;
  max: number;
}): BackfillPlan {
  const { from, to, stepMs, max } = options;
  if (!(stepMs >= 1)) {
    throw new UsageError(`--step: expected a duration of at least 1ms, got ${stepMs} ms`);
  }
  if (from > to) {
    throw new UsageError(`--from (${iso(from)}) is after --to (${iso(to)}); expected from <= to`);
  }
  const count = Math.floor((to - from) / stepMs) + 1;
  if (count > max) {
    throw new UsageError(
      `--from ${iso(from)} --to ${iso(to)} --step ${formatDuration(stepMs)} makes ${count} ` +
        `instants, more than --max ${max}; narrow the range, take a longer step, or raise --max`,
    );
  }
  const instants = Array.from({ length: count }, (_, k) => from + k * stepMs);
  return { from, to, stepMs, instants };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
