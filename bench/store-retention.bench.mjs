// store.retention.stall: the longest a committed signal waits while a retention pass runs on the
// same connection (as in the daemon: LogStore and the pass share the daemon's thread and its
// SQLite handle). Signals flow the whole time, each appended and awaited until durable; the
// baseline is the same flow for the same time without a pass. The pass archives 8 old days,
// vacuums the freed pages and deletes the 4 oldest archived days.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";
import { LogStore, StoreRetention, openLogDatabase } from "@nerve/store";

export const figures = ["store.retention.stall"];

const DAY = 86_400_000;

async function seed(db, perDay, now) {
  const log = new LogStore(db);
  const today = Math.floor(now / DAY) * DAY;
  const filler = "x".repeat(200);
  for (let day = 10; day >= 1; day -= 1) {
    for (let i = 0; i < perDay; i += 1) {
      log.append({
        ts: today - day * DAY + i,
        source: "sense:old",
        type: "signal",
        payload: { i, filler },
      });
    }
    await log.flush();
  }
  await log.close();
  db.pragma("wal_checkpoint(TRUNCATE)");
}

/** Appends durable signals one after the other until `stop()` is true; their latencies in ms. */
async function flow(log, stop) {
  const latencies = [];
  let i = 0;
  while (!stop()) {
    const start = performance.now();
    await log.appendDurable({ source: "sense:bench", type: "signal", payload: { i: (i += 1) } });
    latencies.push(performance.now() - start);
    // Signals reach the daemon as I/O events: the next one comes on a later turn of the loop.
    await nextTurn();
  }
  return latencies;
}

const max = (values) => values.reduce((a, b) => Math.max(a, b), 0);
const p99 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)] ?? 0;

export default async function bench({ quick = false } = {}) {
  const perDay = quick ? 5_000 : 25_000;
  const root = mkdtempSync(join(tmpdir(), "nerve-bench-retention-"));
  try {
    const now = Date.now();
    const db = openLogDatabase(root);
    await seed(db, perDay, now);
    const log = new LogStore(db);
    // The pass, with signals flowing.
    let passDone = false;
    const started = performance.now();
    const during = flow(log, () => passDone);
    const result = await new StoreRetention(db, root).run(
      { archiveAfterMs: DAY, deleteArchiveAfterMs: 6 * DAY, maxSizeBytes: null },
      now,
    );
    const passMs = performance.now() - started;
    passDone = true;
    const withPass = await during;
    // The baseline: the same flow for as long, without a pass.
    const baseStart = performance.now();
    const without = await flow(log, () => performance.now() - baseStart > passMs);
    await log.close();
    db.close();
    const value = Math.round(max(withPass) * 10) / 10;
    const baselineValue = Math.round(max(without) * 10) / 10;
    return [
      {
        name: "store.retention.stall",
        value,
        unit: "ms",
        baseline: "longest commit wait with no pass, same flow and time",
        baselineValue,
        ratio: baselineValue > 0 ? Math.round((value / baselineValue) * 100) / 100 : null,
        target: "< 100 ms",
        pass: value < 100,
        passMs: Math.round(passMs),
        rowsArchived: result.archived.rows,
        daysPruned: result.pruned.length,
        vacuumedMiB: Math.round(result.vacuumedBytes / 1024 / 1024),
        signalsDuringPass: withPass.length,
        p99Ms: Math.round(p99(withPass) * 100) / 100,
        baselineP99Ms: Math.round(p99(without) * 100) / 100,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
