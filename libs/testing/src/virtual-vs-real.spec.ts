import { Test } from "@nestjs/testing";
import { LogStore, NerveModule, SignalBus } from "@nerve/daemon";
import { describe, expect, it } from "vitest";
import { createTestWorkspace } from "./test-workspace.js";
import { prepareWorkspace } from "./workspace-files.js";

/**
 * One scenario, run on the real clock and on the virtual one: a sense ticking every 600 ms and
 * a throttled (2 s) sense hearing it, whose computes coalesce the ticks of each window. Every
 * deadline is at least 200 ms from the next one, so the real run is not a race.
 */
const FILES = {
  "nerve.yaml": [
    "senses:",
    "  ticker: {}",
    "  tally: { throttle: 2s }",
    "reflexes:",
    "  - { kind: sense, sense: ticker, interval: 600ms }",
    "  - { kind: sense, sense: tally, on: [ticker] }",
    "",
  ].join("\n"),
  "senses/ticker/compute.ts": "let n = 0;\nexport const compute = () => ({ n: ++n });\n",
  "senses/tally/compute.ts": [
    'import type { SenseContext } from "@nerve/core";',
    "export const compute = (ctx: SenseContext) => ({",
    "  batch: ctx.trigger.signals.map((s) => (s.payload as { n: number }).n),",
    "});",
    "",
  ].join("\n"),
};
const TALLIES = 3;

interface Outcome {
  ticker: unknown[];
  tally: unknown[];
}

/** Signals of each sense in log order, the tallies cut at TALLIES and the ticks they cover. */
function outcome(rows: { source: string; payload: unknown }[]): Outcome {
  const tally = rows
    .filter((r) => r.source === "sense:tally")
    .map((r) => r.payload)
    .slice(0, TALLIES);
  const covered = Math.max(...tally.flatMap((t) => (t as { batch: number[] }).batch));
  const ticker = rows
    .filter((r) => r.source === "sense:ticker")
    .map((r) => r.payload)
    .filter((p) => (p as { n: number }).n <= covered);
  return { ticker, tally };
}

async function onRealClock(): Promise<Outcome> {
  const { root, remove } = prepareWorkspace({ files: FILES });
  const app = await Test.createTestingModule({
    imports: [NerveModule.forRoot({ root, ipc: false, watch: false })],
  }).compile();
  try {
    const enough = new Promise<void>((resolve) => {
      let seen = 0;
      app.get(SignalBus).subscribe("tally", () => {
        seen += 1;
        if (seen === TALLIES) resolve();
      });
    });
    await app.init();
    await enough;
    return outcome(app.get(LogStore).query({ type: "signal", order: "asc", limit: 10_000 }));
  } finally {
    await app.close();
    remove();
  }
}

async function onVirtualClock(): Promise<Outcome> {
  const ws = await createTestWorkspace({ files: FILES });
  try {
    while (ws.signals("tally").length < TALLIES) await ws.advance("100ms");
    return outcome(ws.log({ type: "signal" }));
  } finally {
    await ws.close();
  }
}

describe("the virtual clock against the real one", () => {
  it("gives the same signals in the same order: intervals, throttle and coalescing", async () => {
    const real = await onRealClock();
    const virtual = await onVirtualClock();

    expect(virtual.tally).toEqual([{ batch: [1] }, { batch: [2, 3, 4] }, { batch: [5, 6, 7] }]);
    expect(virtual).toEqual(real);
  }, 60_000);
});
