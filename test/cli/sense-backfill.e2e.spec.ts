import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerve } from "../support/cli.js";
import { logRows, startDaemon, stopDaemon } from "../support/daemon.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

const HOUR = 3_600_000;
const FROM = Date.UTC(2026, 0, 1);
/** The hour the `history` sense's API "fails" for. */
const BAD_HOUR = FROM + 7 * HOUR;

let root: string;
let cleanup: () => void;

const COMPUTE_NOW = (table: string): string =>
  [
    'import type { SenseContext } from "@nerve/core";',
    "export function compute(ctx: SenseContext) {",
    `  if (ctx.now === ${BAD_HOUR}) throw new Error("the API has no data for that hour");`,
    `  ctx.db.prepare("INSERT INTO ${table} VALUES (?, ?, ?)").run(ctx.now, Date.now(), ctx.trigger.kind);`,
    "  return { at: ctx.now };",
    "}",
    "",
  ].join("\n");

beforeAll(async () => {
  ({ root, cleanup } = makeWorkspace({
    "nerve.yaml": [
      "senses:",
      "  history: {}",
      "  reactor: {}",
      "  ticker: {}",
      "reflexes:",
      "  - kind: sense",
      "    sense: reactor",
      "    on: [history]",
      "  - kind: sense",
      "    sense: ticker",
      "    interval: 1s",
      "",
    ].join("\n"),
    "senses/history/migrations/001.sql":
      "CREATE TABLE samples (at INTEGER, ran INTEGER, kind TEXT);\n",
    "senses/history/compute.ts": COMPUTE_NOW("samples"),
    "senses/ticker/migrations/001.sql":
      "CREATE TABLE ticks (at INTEGER, ran INTEGER, kind TEXT);\n",
    "senses/ticker/compute.ts": COMPUTE_NOW("ticks"),
    "senses/reactor/migrations/001.sql":
      "CREATE TABLE seen (at INTEGER, ran INTEGER, kind TEXT);\n",
    "senses/reactor/compute.ts": COMPUTE_NOW("seen"),
  }));
  await startDaemon(root);
}, 60_000);

afterAll(async () => {
  await stopDaemon(root);
  cleanup();
}, 30_000);

async function rows(sense: string, table: string, where = ""): Promise<Record<string, unknown>[]> {
  const run = await nerve([
    "sense",
    "query",
    sense,
    `SELECT at, kind FROM ${table} ${where} ORDER BY rowid`,
    "--json",
    "--root",
    root,
  ]);
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Record<string, unknown>[];
}

describe("nerve sense backfill", () => {
  it("computes once per instant with ctx.now set, beside a running daemon, waking no reflex", async () => {
    const run = await nerve([
      "sense",
      "backfill",
      "history",
      "--from",
      new Date(FROM).toISOString(),
      "--to",
      new Date(FROM + 4 * HOUR).toISOString(),
      "--step",
      "1h",
      "--json",
      "--root",
      root,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      sense: "history",
      from: FROM,
      to: FROM + 4 * HOUR,
      stepMs: HOUR,
      instants: 5,
      ok: 5,
      failed: 0,
      routes: { signal: 5, workflow: 0, none: 0 },
      firstError: null,
    });
    expect(await rows("history", "samples", `WHERE at < ${FROM + 5 * HOUR}`)).toEqual(
      [0, 1, 2, 3, 4].map((k) => ({ at: FROM + k * HOUR, kind: "manual" })),
    );
    // A live compute of the same sense does reach the reactor: once it has, the backfill's
    // five returned values would have too, had they been emitted.
    expect((await nerve(["sense", "trigger", "history", "--root", root])).code).toBe(0);
    await waitFor(async () => (await rows("reactor", "seen")).length > 0, "the reactor's compute");
    expect(await rows("reactor", "seen")).toHaveLength(1);
    expect(logRows(root, { source: "sense:history", type: "signal" })).toHaveLength(1);
  });

  it("reports a failing instant, runs the rest and exits 1", async () => {
    const from = FROM + 6 * HOUR;
    const run = await nerve([
      "sense",
      "backfill",
      "history",
      "--from",
      String(from),
      "--to",
      String(from + 2 * HOUR),
      "--step",
      "1h",
      "--root",
      root,
    ]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^2026-01-01T06:00:00\.000Z\s+ok\s+→ signal$/);
    expect(lines[1]).toMatch(/^2026-01-01T07:00:00\.000Z\s+failed\s+the API has no data/);
    expect(lines[2]).toMatch(/^2026-01-01T08:00:00\.000Z\s+ok/);
    expect(lines[3]).toMatch(/3 instant\(s\), 2 ok, 1 failed; .*not emitted/);
    expect(
      await rows("history", "samples", `WHERE at >= ${from} AND at < ${FROM + 24 * HOUR}`),
    ).toEqual([
      { at: from, kind: "manual" },
      { at: from + 2 * HOUR, kind: "manual" },
    ]);
  });

  it("summarises the first failure in --json", async () => {
    const run = await nerve(
      ["sense", "backfill", "history", "--from", String(BAD_HOUR), "--to", String(BAD_HOUR)].concat(
        ["--step", "1h", "--json", "--root", root],
      ),
    );
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ instants: 1, ok: 0, failed: 1 });
    expect(summary.firstError).toEqual({
      at: BAD_HOUR,
      message: expect.stringMatching(/the API has no data for that hour/) as unknown,
    });
  });

  it.each([
    [["--from", "2026-01-02", "--to", "2026-01-01", "--step", "1h"], /--from .* is after --to/],
    [["--from", "2026-01-01", "--to", "2026-01-02", "--step", "0s"], /--step: .*at least 1ms/],
    [
      ["--from", "2026-01-01", "--to", "2026-01-02", "--step", "1hour"],
      /--step: expected a duration/,
    ],
    [
      ["--from", "2026-01-01", "--to", "2026-02-01", "--step", "1m"],
      /44641 instants, more than --max 1000/,
    ],
    [["--from", "last tuesday", "--step", "1h"], /--from: expected a duration back from now/],
    [["--to", "2026-01-02", "--step", "1h"], /--from is required/],
    [["--from", "2026-01-01", "--to", "2026-01-02"], /--step is required/],
  ])("refuses %j as a usage error that names the problem", async (args, message) => {
    const run = await nerve(["sense", "backfill", "history", ...args, "--root", root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });

  it("runs more instants than the default limit when --max allows them", async () => {
    const from = FROM + 100 * HOUR;
    const run = await nerve(
      ["sense", "backfill", "history", "--from", String(from), "--to", String(from + 1_000)].concat(
        ["--step", "1ms", "--max", "1001", "--json", "--root", root],
      ),
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ instants: 1_001, ok: 1_001, failed: 0 });
  });

  it("names the declared senses when the sense is unknown", async () => {
    const run = await nerve(
      ["sense", "backfill", "nope", "--from", "2026-01-01", "--to", "2026-01-01"].concat([
        "--step",
        "1h",
        "--root",
        root,
      ]),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown sense "nope"; declared senses: history, reactor, ticker/);
  });
});

describe("ctx.now in the daemon", () => {
  it("is the interval tick's deadline: ticks of a 1s interval are whole seconds apart", async () => {
    const ticks = await waitFor(async () => {
      const found = await rows("ticker", "ticks");
      return found.length >= 3 ? found : undefined;
    }, "three ticks of the ticker");
    const at = ticks.map((tick) => tick.at as number);
    for (let k = 1; k < at.length; k++) expect((at[k] - at[0]) % 1_000).toBe(0);
    expect(ticks.every((tick) => tick.kind === "interval")).toBe(true);
  });

  it("is the moment a manual trigger asked for the compute", async () => {
    const before = Date.now();
    expect((await nerve(["sense", "trigger", "reactor", "--root", root])).code).toBe(0);
    const manual = await waitFor(async () => {
      const found = await rows("reactor", "seen", "WHERE kind = 'manual'");
      return found.length > 0 ? found : undefined;
    }, "the reactor's manual compute");
    expect(manual[0].at as number).toBeGreaterThanOrEqual(before);
    expect(manual[0].at as number).toBeLessThanOrEqual(Date.now());
  });
});
