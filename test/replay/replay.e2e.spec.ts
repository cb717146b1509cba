import { copyWorkspace, createTestWorkspace } from "@nerve/testing";
import Database from "better-sqlite3";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerve, tempDir, type CliRun } from "../support/cli.js";
import { startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";

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

  it("prints the differences as a table and a summary line", async () => {
    const compute = join(recorded, "senses", "watchdog", "compute.ts");
    const original = readFileSync(compute, "utf8");
    writeFileSync(
      compute,
      original.replace("const ROUTINE_EVERY = 4;", "const ROUTINE_EVERY = 5;"),
    );
    try {
      const to = new Date(START + 30_000).toISOString();
      const run = await nerve(["replay", "--from", FROM, "--to", to], { cwd: recorded });
      expect(run.code, run.stderr).toBe(1);
      const lines = run.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^CAUSE AT\s+SENSE\s+DIFFERENCE\s+RECORDED → REPLAYED$/);
      expect(
        lines.slice(1).some((line) => /\swatchdog\s+launch\.(missing|extra)\s/.test(line)),
      ).toBe(true);
      expect(lines.at(-1)).toMatch(
        /^\d+ differences?: 16 recorded signals re-fed from 2026-03-01T10:00:00\.000Z to 2026-03-01T10:00:30\.000Z into watchdog; launches \d+ recorded, \d+ replayed; signals 0 recorded, 0 replayed$/,
      );
    } finally {
      writeFileSync(compute, original);
    }
  }, 600_000);

  it("refuses bad arguments with exit 2 and a message naming what is wrong", async () => {
    const into = join(tmp.dir, "not-empty");
    mkdirSync(into);
    writeFileSync(join(into, "keep.txt"), "mine");
    const cases: [string[], RegExp][] = [
      [["--to", TO], /--from is required/],
      [["--from", "yesterday"], /--from: expected a duration back from now .* got "yesterday"/],
      [
        ["--from", TO, "--to", FROM],
        /--from \(2026-03-01T10:10:00\.000Z\) is after --to \(2026-03-01T10:00:00\.000Z\)/,
      ],
      [
        ["--from", "2026-02-01T00:00:00Z", "--to", "2026-02-01T01:00:00Z"],
        /no signal was recorded from 2026-02-01T00:00:00\.000Z to 2026-02-01T01:00:00\.000Z/,
      ],
      [
        ["--from", FROM, "--to", TO, "--sense", "watchdgo"],
        /--sense: watchdgo is not a sense of nerve\.yaml \(declared: vitals, watchdog\)/,
      ],
      [
        ["--from", FROM, "--to", TO, "--sense", "vitals"],
        /every signal from .* is of a sense under test \(vitals, watchdog\)/,
      ],
      [["--from", FROM, "--to", TO, "--into", into], /--into: .*not-empty is not empty/],
    ];
    for (const [args, message] of cases) {
      const run = await nerve(["replay", ...args], { cwd: recorded });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
    }
    expect(readdirSync(into)).toEqual(["keep.txt"]);
  });

  it("reads a span that the store has moved to its archive", async () => {
    const to = new Date(START + 30_000).toISOString();
    const before = await nerve(["replay", "--from", FROM, "--to", to, "--json"], { cwd: recorded });
    expect(before.code, before.stderr).toBe(0);
    const archive = await nerve(["store", "archive", "--older-than", "1d", "--json"], {
      cwd: recorded,
    });
    expect(archive.code, archive.stderr).toBe(0);
    expect(JSON.parse(archive.stdout)).toMatchObject({ days: [{ day: "2026-03-01" }] });

    const after = await nerve(["replay", "--from", FROM, "--to", to, "--json"], { cwd: recorded });
    expect(after.code, after.stderr).toBe(0);
    expect(report(after)).toEqual(report(before));
    expect(report(after).recorded.launches).toBeGreaterThan(0);
  }, 600_000);

  it("runs next to the daemon of the workspace, which keeps recording", async () => {
    await startDaemon(recorded);
    try {
      // The daemon is writing: new vitals samples, watchdog launches, checkups.
      const since = Date.now();
      await waitForRows(recorded, { type: "workflow.completed", since }, 1, 60_000);
      const to = new Date(START + 30_000).toISOString();
      const run = await nerve(["replay", "--from", FROM, "--to", to, "--json"], { cwd: recorded });
      expect(run.code, run.stderr).toBe(0);
      expect(report(run)).toMatchObject({ fed: 16, differences: [] });
      const status = await nerve(["status", "--json", "--root", recorded]);
      expect(status.code, status.stderr).toBe(0);
    } finally {
      await stopDaemon(recorded);
    }
  }, 600_000);
});
