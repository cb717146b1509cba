import type { StoreReader } from "@nerve/store/reader";
import { UsageError } from "../common/cli-errors.js";
import { parseTimeBound } from "../events/time-bound.js";

/** Epoch ms from 2001 on: a smaller whole number is a log row id. */
const EPOCH_MS_MIN = 1_000_000_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An end of the replayed span: what `nerve log`/`nerve sense backfill` accept (a duration
 * back from now, an ISO time, epoch ms), a log row id (a whole number below epoch ms: the
 * instant of that row), or a signal or run id (the instant of its first row).
 *
 * @throws UsageError naming the flag and the forms accepted, or the id not found.
 */
export function resolveBound(
  flag: string,
  value: string,
  reader: StoreReader,
  now = Date.now(),
): number {
  const text = value.trim();
  if (/^\d+$/.test(text) && Number(text) < EPOCH_MS_MIN) {
    const ts = reader.prepare("SELECT ts FROM log WHERE id = ?").pluck().get(Number(text)) as
      number | undefined;
    if (ts === undefined) {
      throw new UsageError(
        `${flag}: no log row has id ${text} in data/logs.db (an archived row: give its time instead)`,
      );
    }
    return ts;
  }
  if (UUID.test(text)) {
    const [row] = reader.query({ refId: text, order: "asc", limit: 1 });
    if (row === undefined) {
      throw new UsageError(`${flag}: no signal or run has id ${text} in data/logs.db`);
    }
    return row.ts;
  }
  try {
    return parseTimeBound(flag, text, now);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(
      `${flag}: expected a duration back from now (10m, 2h, 1d), an ISO time ` +
        `(2026-12-06T04:00:00Z), epoch milliseconds, a log row id or a signal id, ` +
        `got ${JSON.stringify(value)}`,
    );
  }
}
