// testing.virtual-ticks: interval ticks per second of wall time that @nerve/testing's virtual
// clock drives through the real engine, against the same computes run back to back on the real
// clock, measured in the same run.
//
// Virtual: createTestWorkspace (the built @nerve/testing) on a workspace of one sense on a
// 1-minute interval that returns `{ n }`, so each tick is a compute in the real forked worker
// and a signal committed to the log; `advance()` over N minutes fires N ticks, each settling
// (compute done, signal committed and delivered) before the next, as a test sees them.
// Baseline: the same sense in NerveModule on the real clock, no interval, triggered again by
// hand (SenseRegistry.trigger) as soon as its previous signal is delivered: the rate of
// sequential computes the engine manages without any clock. The ratio says what the virtual
// clock costs on top of the computes it fires.
import { performance } from "node:perf_hooks";
import { LogStore, SenseRegistry, SignalBus } from "@nerve/daemon";
import { createTestWorkspace } from "@nerve/testing";
import { startEngine } from "./lib/engine.mjs";
import { makeWorkspace } from "./lib/workspace.mjs";

export const figures = ["testing.virtual-ticks"];

const TARGET = 5_000;
const COMPUTE = "let n = 0;\nexport const compute = () => ({ n: ++n });\n";
const FILES = {
  "nerve.yaml":
    "senses:\n  minutely: { grace_period: 1m }\nreflexes:\n  - { kind: sense, sense: minutely, interval: 1m }\n",
  "senses/minutely/compute.ts": COMPUTE,
};

/** Ticks per second of `advance()` over `ticks` minutes (after a warm-up of 100). */
async function virtualRate(ticks) {
  const ws = await createTestWorkspace({ files: FILES, start: Date.UTC(2026, 0, 1) });
  try {
    await ws.advance("100m");
    const before = ws.ticks;
    const started = performance.now();
    await ws.advance(ticks * 60_000);
    const elapsed = performance.now() - started;
    const fired = ws.ticks - before;
    if (ws.signals("minutely").length !== 100 + fired) {
      throw new Error(
        `expected one signal per tick, got ${ws.signals("minutely").length} for ${100 + fired} ticks`,
      );
    }
    return { rate: (fired / elapsed) * 1_000, fired, elapsed };
  } finally {
    await ws.close();
  }
}

/** Computes per second of the same sense triggered back to back on the real clock. */
async function closedLoopRate(count) {
  const { root, remove } = makeWorkspace("virtual-ticks", {
    "nerve.yaml": "senses:\n  minutely: {}\n",
    "senses/minutely/compute.ts": COMPUTE,
  });
  const app = await startEngine(root);
  try {
    const registry = app.get(SenseRegistry);
    const run = (n) =>
      new Promise((resolve) => {
        let seen = 0;
        const unsubscribe = app.get(SignalBus).subscribe("minutely", () => {
          seen += 1;
          if (seen === n) {
            unsubscribe();
            resolve();
          } else registry.trigger("minutely");
        });
        registry.trigger("minutely");
      });
    await run(100);
    const started = performance.now();
    await run(count);
    const elapsed = performance.now() - started;
    await app.get(LogStore).flush();
    return { rate: (count / elapsed) * 1_000, elapsed };
  } finally {
    await app.close();
    remove();
  }
}

export default async function bench({ quick = false } = {}) {
  const ticks = quick ? 5_000 : 43_200;
  const virtual = await virtualRate(ticks);
  const baseline = await closedLoopRate(quick ? 5_000 : 20_000);
  const round = (x) => Math.round(x);
  return [
    {
      name: "testing.virtual-ticks",
      value: round(virtual.rate),
      unit: "ticks/s",
      baseline: "the same compute triggered back to back on the real clock",
      baselineValue: round(baseline.rate),
      ratio: Math.round((virtual.rate / baseline.rate) * 1_000) / 1_000,
      target: `>= ${TARGET} ticks/s`,
      pass: virtual.rate >= TARGET,
      ticks: virtual.fired,
      elapsedMs: round(virtual.elapsed),
      scenario: quick ? "5,000 minutes" : "30 days of a 1-minute interval",
    },
  ];
}
