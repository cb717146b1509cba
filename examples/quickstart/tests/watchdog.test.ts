// `nerve test` runs this file: the real engine on a copy of this workspace, on a virtual clock.
import { createTestWorkspace, type TestWorkspace } from "@nerve/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** A vitals sample as the watchdog hears it; the values stay flat, so nothing spikes. */
const sample = (sampleId: number) => ({
  sampleId,
  ts: Date.parse("2026-03-01T00:00:00Z") + sampleId * 2_000,
  load1: 0.5,
  cores: 4,
  memoryPct: 40,
  diskFreePct: 60,
});

describe("watchdog", () => {
  let ws: TestWorkspace;

  beforeEach(async () => {
    ws = await createTestWorkspace({ root: "." });
    // One real sample, so the vitals database (the watchdog's baseline) exists.
    ws.trigger("vitals");
    await ws.idle();
  });

  afterEach(() => ws.close());

  it("starts a routine checkup every 4th sample when nothing spikes", async () => {
    for (let id = 2; id <= 8; id += 1) {
      await ws.emit("vitals", sample(id));
      await ws.idle();
    }

    expect(ws.runs("checkup").map((run) => run.prompt)).toEqual([
      "routine checkup",
      "routine checkup",
    ]);
    const launches = ws.db("watchdog").prepare("SELECT sample_id FROM launches").pluck().all();
    expect(launches).toEqual([4, 8]);
  });

  it("files the verdict of a finished checkup on its next sample", async () => {
    for (let id = 2; id <= 5; id += 1) {
      await ws.emit("vitals", sample(id));
      await ws.idle();
    }

    const [run] = ws.runs("checkup");
    expect(run.status).toBe("completed");
    const findings = ws.db("watchdog").prepare("SELECT run_id, verdict FROM findings").all();
    expect(findings).toEqual([
      { run_id: run.runId, verdict: expect.stringMatching(/^routine checkup: load 0.5/) },
    ]);
  });

  it("samples every 2 s: one minute of virtual time is 30 more samples", async () => {
    await ws.advance("1m");

    expect(ws.signals("vitals")).toHaveLength(1 + 31);
  });
});
