import { parseDuration } from "@nerve/core";
import { UsageError } from "../common/cli-errors.js";

/** Epoch ms from 2001 on: a bare number this large is an instant, not a count of seconds. */
const EPOCH_MS_MIN = 1_000_000_000_000;

/**
 * An instant from the command line: a duration back from now (`10m`, `1h30m`), an ISO date or
 * date-time (`2026-12-06`, `2026-12-06T04:00:00Z`), or epoch milliseconds.
 *
 * @throws UsageError naming the flag, what was given and the three accepted forms.
 */
export function parseTimeBound(flag: string, value: string, now = Date.now()): number {
  const text = value.trim();
  if (/^\d+$/.test(text) && Number(text) >= EPOCH_MS_MIN) return Number(text);
  const duration = parseDuration(text);
  if (duration.ok) return now - duration.value;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ts = Date.parse(text);
    if (Number.isFinite(ts)) return ts;
  }
  throw new UsageError(
    `${flag}: expected a duration back from now (10m, 2h, 1d), an ISO time ` +
      `(2026-12-06T04:00:00Z) or epoch milliseconds, got ${JSON.stringify(value)}`,
  );
}
