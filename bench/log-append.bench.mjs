// log.append: LogStore's group commit against the raw ceiling — the same prepared INSERT in
// transactions of 1,000 rows on a database with the same schema and pragmas (WAL,
// synchronous=NORMAL). Both sides build the same rows and stringify the same payloads.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { LogStore, openLogDatabase } from "@nerve/store";

export const figures = ["log.append"];

const INSERT = "INSERT INTO log (ts, source, type, ref_id, payload) VALUES (?, ?, ?, ?, ?)";
const BATCH = 1_000;

function row(i, base) {
  return {
    ts: base + i,
    source: "sense:bench",
    type: "signal",
    refId: `sig-${i}`,
    payload: { i, pct: i % 100 },
  };
}

function withTempRoot(run) {
  const root = mkdtempSync(join(tmpdir(), "nerve-bench-log-"));
  return Promise.resolve()
    .then(() => run(root))
    .finally(() => rmSync(root, { recursive: true, force: true }));
}

/** Rows per second of raw prepared INSERTs in transactions of 1,000. */
function raw(rows) {
  return withTempRoot((root) => {
    const db = openLogDatabase(root);
    const insert = db.prepare(INSERT);
    const batch = db.transaction((from, to, base) => {
      for (let i = from; i < to; i += 1) {
        const r = row(i, base);
        insert.run(r.ts, r.source, r.type, r.refId, JSON.stringify(r.payload));
      }
    });
    const base = Date.now();
    const start = performance.now();
    for (let i = 0; i < rows; i += BATCH) batch(i, Math.min(rows, i + BATCH), base);
    const seconds = (performance.now() - start) / 1_000;
    db.close();
    return rows / seconds;
  });
}

/** Rows per second of LogStore.append until the last row is committed. */
function logStore(rows) {
  return withTempRoot(async (root) => {
    const store = LogStore.open(root);
    const base = Date.now();
    const start = performance.now();
    for (let i = 0; i < rows; i += 1) store.append(row(i, base));
    await store.flush();
    const seconds = (performance.now() - start) / 1_000;
    await store.close();
    return rows / seconds;
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export default async function bench({ quick = false } = {}) {
  const rows = quick ? 50_000 : 200_000;
  const rounds = quick ? 3 : 5;
  const rawRates = [];
  const storeRates = [];
  // Warm up both paths once, then alternate so drift on a shared machine hits both alike.
  await raw(Math.min(rows, 10_000));
  await logStore(Math.min(rows, 10_000));
  for (let i = 0; i < rounds; i += 1) {
    rawRates.push(await raw(rows));
    storeRates.push(await logStore(rows));
  }
  const value = Math.round(median(storeRates));
  const baselineValue = Math.round(median(rawRates));
  const ratio = value / baselineValue;
  return [
    {
      name: "log.append",
      value,
      unit: "rows/s",
      baseline: "raw prepared INSERT, batches of 1,000",
      baselineValue,
      ratio: Math.round(ratio * 1_000) / 1_000,
      target: "ratio >= 0.7",
      pass: ratio >= 0.7,
      rows,
      rounds,
    },
  ];
}
