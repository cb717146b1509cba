import { copyWorkspace, createTestWorkspace } from "@nerve/testing";
import Database from "better-sqlite3";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerve, tempDir, type CliRun } from "../support/cli.js";

const QUICKSTART = fileURLToPath(new URL("../../examples/quickstart", import.meta.url));
const START = Date.parse("2026-03-01T10:00:00Z");
/** The recorded span: ten minutes of 2-second vitals ticks (301 samples, a checkup every few). */
const SPAN_MS = 10 * 60_000;
const FROM = new Date(START).toISOString();
const TO = new Date(START + SPAN_MS).toISOString();

interface Difference {
  kind: string;
  sense: string;
  cause: { id: string; sense: string; ts: number };
  recorded: { kind: string; prompt?: string; payload?: { sample: { sampleId: number } } } | null;
  replayed: { kind: string; prompt?: string; payload?: { sample: { sampleId: number } } } | null;
}

interface Report {
  from: number;
  to: number;
  senses: string[];
  fed: number;
  recorded: { signals: number; launches: number; errors: number };
  replayed: { signals: number; launches: number; errors: number };
  differences: Difference[];
  into: string | null;
}

let tmp: { dir: string; cleanup: () => void };
let recorded: string;
/** sampleId of each vitals signal id of the recording. */
const sampleOf = new Map<string, number>();

/**
 * Records the span through Nerve's own engine: the quickstart (its real vitals sense sampling
 * this machine) on the test kit's virtual clock, run in place so its data/ stays behind.
 */
async function record(root: string): Promise<void> {
  copyWorkspace(QUICKSTART, root);
  const ws = await createTestWorkspace({ root, inPlace: true, start: START });
  try {
    await ws.advance(SPAN_MS);
    for (const signal of ws.signals<{ sampleId: number }>("vitals")) {
      sampleOf.set(signal.id, signal.payload.sampleId);
    }
  } finally {
    await ws.close();
  }
}

function launchedSamples(root: string): number[] {
  const db = new Database(join(root, "data", "senses", "watchdog.db"), { readonly: true });
  try {
    return db
      .prepare("SELECT sample_id FROM launches ORDER BY sample_id")
      .pluck()
      .all() as number[];
  } finally {
    db.close();
  }
}

function report(run: CliRun): Report {
  return JSON.parse(run.stdout) as Report;
}

beforeAll(async () => {
  tmp = tempDir("nerve-replay-e2e-");
  recorded = join(tmp.dir, "recorded");
  await record(recorded);
}, 600_000);

afterAll(() => tmp.cleanup());

describe("nerve replay", () => {
  it("reports no difference when the code is the recorded code (exit 0)", async () => {
    const run = await nerve(["replay", "--from", FROM, "--to", TO, "--json"], { cwd: recorded });
    expect(run.code, run.stderr).toBe(0);
    const result = report(run);
    expect(result).toMatchObject({
      from: START,
      to: START + SPAN_MS,
      senses: ["watchdog"],
      into: null,
    });
    expect(result.fed).toBe(sampleOf.size);
    expect(result.recorded.launches).toBe(launchedSamples(recorded).length);
    expect(result.recorded.launches).toBeGreaterThan(0);
    expect(result.replayed).toEqual(result.recorded);
    expect(result.differences).toEqual([]);
  }, 600_000);

  it("shows the launches that change when watchdog's routine threshold is edited (exit 1)", async () => {
    const compute = join(recorded, "senses", "watchdog", "compute.ts");
    const original = readFileSync(compute, "utf8");
    writeFileSync(
      compute,
      original.replace("const ROUTINE_EVERY = 4;", "const ROUTINE_EVERY = 5;"),
    );
    const into = join(tmp.dir, "replayed");
    try {
      const run = await nerve(
        ["replay", "--from", FROM, "--to", TO, "--sense", "watchdog", "--into", into, "--json"],
        { cwd: recorded },
      );
      expect(run.code, run.stderr).toBe(1);
      const result = report(run);
      expect(result.into).toBe(into);

      // What watchdog's own databases say it launched for, recorded and replayed.
      const before = new Set(launchedSamples(recorded));
      const after = new Set(launchedSamples(into));
      const gone = [...before].filter((id) => !after.has(id));
      const added = [...after].filter((id) => !before.has(id));
      expect(gone.length + added.length).toBeGreaterThan(0);

      const samples = (kind: string): number[] =>
        result.differences
          .filter((d) => d.kind === kind)
          .map((d) => sampleOf.get(d.cause.id) ?? -1);
      expect(samples("launch.missing")).toEqual(gone);
      expect(samples("launch.extra")).toEqual(added);
      for (const d of result.differences) {
        expect(d.sense).toBe("watchdog");
        expect(["launch.missing", "launch.extra", "launch.changed"]).toContain(d.kind);
      }
      expect(result.replayed.launches).toBe(after.size);
      expect(result.recorded.launches).toBe(before.size);
    } finally {
      writeFileSync(compute, original);
    }
  }, 600_000);
});
