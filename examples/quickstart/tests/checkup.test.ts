// `nerve test` runs this file: the real engine on a copy of this workspace, on a virtual clock.
import { createTestWorkspace, type TestWorkspace } from "@nerve/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** What the watchdog hands a checkup: the sample that started it and its baseline. */
const LAUNCH = {
  sample: { sampleId: 7, ts: 0, load1: 3.2, cores: 4, memoryPct: 55, diskFreePct: 60 },
  baseline: { load1: 1.1, memoryPct: 50, samples: 15 },
};

describe("checkup", () => {
  let ws: TestWorkspace;

  beforeEach(async () => {
    ws = await createTestWorkspace({ root: "." });
  });

  afterEach(() => ws.close());

  it("examines, then reports, and ends in 3 rounds", async () => {
    const run = await ws.launch("checkup", { prompt: "load spike", payload: LAUNCH, maxRounds: 4 });

    expect(run).toMatchObject({ status: "completed", endReason: "end" });
    const thread = ws.thread(run.runId);
    expect(thread.rounds.map((round) => round.role)).toEqual(["examine", "report"]);
  });

  it("writes a verdict that names the sample and its baseline", async () => {
    const run = await ws.launch("checkup", { prompt: "load spike", payload: LAUNCH });

    const report = ws.thread(run.runId).rounds.at(-1);
    expect(report?.content).toMatch(/^load spike: load 3.2 \(baseline 1.10\) on 4 cores/);
    expect(report?.content).toMatch(/memory 55% used, 60% disk free/);
  });
});
