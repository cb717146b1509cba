import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { LogStore } from "../log/log-store.js";
import { newRunId } from "../runs/run-id.js";
import { LineageReader } from "./lineage-reader.js";
import type { ComputeLineage } from "./lineage-types.js";
import { LINEAGE_ROWS_PER_INSERT } from "./lineage-writer.js";

let root: string;
let cleanup: () => void;
let log: LogStore;

beforeEach(() => {
  ({ root, cleanup } = tempRoot());
  log = LogStore.open(root);
});
afterEach(async () => {
  await log.close();
  cleanup();
});

const T = 1_800_000_000_000;

function compute(overrides: Partial<ComputeLineage>): ComputeLineage {
  return {
    id: newRunId(T),
    sense: "s",
    trigger: "interval",
    ts: T,
    durationMs: 3,
    outcome: "none",
    effect: null,
    causes: [],
    ...overrides,
  };
}

describe(LineageReader.name, () => {
  it("reads back what LogStore.recordCompute committed: by id, by effect, by cause", async () => {
    const a = newRunId(T);
    const b = newRunId(T + 1);
    const run = newRunId(T + 2);
    const tick = compute({ outcome: "signal", effect: a });
    const merge = compute({
      id: newRunId(T + 2),
      sense: "m",
      trigger: "signal",
      outcome: "run",
      effect: run,
      causes: [a, b],
    });
    log.recordCompute(tick);
    log.recordCompute(merge);
    // Committed by the timer even with no log row pending.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reader = new LineageReader(log.db);
    expect(reader.compute(merge.id)).toEqual({ ...merge, causes: [a, b] });
    expect(reader.madeBy(a)).toEqual(tick);
    expect(reader.madeBy(run)?.id).toBe(merge.id);
    expect(reader.causedBy(b).map((c) => c.id)).toEqual([merge.id]);
    expect(reader.causedBy(newRunId(T))).toEqual([]);
    expect(reader.computeIdsStartingWith(merge.id.slice(0, 20), 5)).toContain(merge.id);
    expect(reader.signalIdsStartingWith(a, 5)).toEqual([a]);
  });

  it("writes a commit of computes and causes spanning several multi-row INSERTs, each row once", async () => {
    // Two whole groups and a remainder of computes; causes that fill groups of their own too.
    const n = LINEAGE_ROWS_PER_INSERT * 2 + 3;
    const computes = Array.from({ length: n }, (_, i) =>
      compute({
        id: newRunId(T + i),
        trigger: i % 2 === 0 ? "signal" : "manual",
        outcome: "signal",
        effect: `sig-${i}`,
        causes: i % 2 === 0 ? [`cause-${i}-a`, `cause-${i}-b`] : [],
      }),
    );
    for (const c of computes) log.recordCompute(c);
    // A duplicate is ignored, as one statement per row did.
    log.recordCompute(computes[5]);
    await log.flush();
    const reader = new LineageReader(log.db);
    for (const c of computes) expect(reader.compute(c.id)).toEqual(c);
    expect(log.db.prepare("SELECT count(*) FROM lineage_compute").pluck().get()).toBe(n);
    expect(log.db.prepare("SELECT count(*) FROM lineage_cause").pluck().get()).toBe(
      computes.reduce((sum, c) => sum + c.causes.length, 0),
    );
    expect(reader.causedBy("cause-64-b").map((c) => c.id)).toEqual([computes[64].id]);
  });

  it("commits lineage in the same transaction as the rows appended with it", async () => {
    const signal = newRunId(T);
    log.append({ ts: T, source: "sense:s", type: "signal", refId: signal, payload: 1 });
    log.recordCompute(compute({ outcome: "signal", effect: signal }));
    await log.flush();
    expect(log.count({ refId: signal })).toBe(1);
    expect(new LineageReader(log.db).madeBy(signal)?.effect).toBe(signal);
  });
});
