import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogRow } from "@nerve/core";
import { CLI, nerve } from "../support/cli.js";
import { startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

// `nerve events` against a real daemon: `ping` signals only when triggered by hand, so the
// test decides which rows exist; `echo` hears every ping and fails on odd counts.
let root: string;
let cleanup: () => void;
let signals: LogRow[];

async function events(args: string[]): Promise<LogRow[]> {
  const run = await nerve(["events", "--json", "--root", root, ...args]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as LogRow[];
}

beforeAll(async () => {
  ({ root, cleanup } = makeWorkspace({
    "nerve.yaml": [
      "senses:",
      "  ping: {}",
      "  echo: {}",
      "reflexes:",
      "  - kind: sense",
      "    sense: echo",
      "    on: [ping]",
      "",
    ].join("\n"),
    "senses/ping/compute.ts": "let n = 0;\nexport const compute = () => ({ n: ++n });\n",
    "senses/echo/compute.ts": [
      "export const compute = (ctx) => {",
      "  const n = ctx.trigger.signals[0].payload.n;",
      "  if (n % 2 === 1) throw new Error(`odd ${n}`);",
      "  return { heard: n };",
      "};",
      "",
    ].join("\n"),
  }));
  await startDaemon(root);
  for (let i = 0; i < 4; i += 1) {
    expect((await nerve(["sense", "trigger", "ping", "--root", root])).code).toBe(0);
    await waitForRows(root, { type: "signal", source: "sense:ping" }, i + 1);
  }
  await waitForRows(root, { type: "sense.error" }, 2);
  signals = await waitForRows(root, { type: "signal", source: "sense:echo" }, 2);
});

afterAll(async () => {
  await stopDaemon(root);
  cleanup();
});

describe("nerve events", () => {
  it("prints log rows in SPEC's shape, oldest first, filtered by type and source", async () => {
    const pings = await events(["--type", "signal", "--source", "sense:ping"]);
    expect(pings.map((row) => row.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(Object.keys(pings[0])).toEqual(["id", "ts", "source", "type", "refId", "payload"]);
    const errors = await events(["--type", "sense.error,sense.timeout"]);
    expect(errors.map((row) => (row.payload as { message: string }).message)).toEqual([
      "odd 1",
      "odd 3",
    ]);
    const senseRows = await events(["--source", "sense:*", "--type", "signal"]);
    expect(senseRows).toHaveLength(6);
    const workflows = await events(["--type", "daemon.*"]);
    expect(workflows.map((row) => row.type)).toEqual(["daemon.start"]);
  });

  it("filters by ref id, time window and limit", async () => {
    const [first] = signals;
    expect(await events(["--ref", first.refId!])).toEqual([first]);
    const all = await events(["--type", "signal", "--limit", "1000"]);
    const newest = await events(["--type", "signal", "--limit", "2"]);
    expect(newest).toEqual(all.slice(-2));
    const pivot = all[3].ts;
    const before = await events(["--type", "signal", "--until", String(pivot)]);
    expect(before.every((row) => row.ts < pivot)).toBe(true);
    const after = await events(["--type", "signal", "--since", String(pivot)]);
    expect(before.length + after.length).toBe(all.length);
    expect(await events(["--since", "1h", "--type", "daemon.start"])).toHaveLength(1);
    expect(await events(["--until", "1h", "--type", "daemon.start"])).toHaveLength(0);
  });

  it("prints one line per row for people", async () => {
    const run = await nerve(["events", "--type", "sense.error", "--root", root]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} +sense\.error +sense:echo +\S+ +\{"kind":"error"/,
    );
  });

  it("rejects bad options with what was expected", async () => {
    const since = await nerve(["events", "--since", "yesterday", "--root", root]);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain("--since: expected a duration back from now");
    const both = await nerve(["events", "-f", "--until", "1m", "--root", root]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--until cannot be combined with -f");
    const limit = await nerve(["events", "--limit", "0", "--root", root]);
    expect(limit.code).toBe(2);
  });

  it("follows with -f: matching rows appear as they commit, as JSON lines", async () => {
    const child = spawn(
      process.execPath,
      [CLI, "events", "-f", "--json", "--type", "signal", "--source", "sense:ping", "--root", root],
      { env: { ...process.env, NO_COLOR: "1", NERVE_ROOT: "" } },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const parsed = () =>
      out
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as LogRow);
    try {
      await waitFor(() => parsed().length === 4, "the four signals already there");
      expect((await nerve(["sense", "trigger", "ping", "--root", root])).code).toBe(0);
      const rows = await waitFor(() => (parsed().length === 5 ? parsed() : undefined), "a new one");
      expect(rows[4]).toMatchObject({ type: "signal", source: "sense:ping", payload: { n: 5 } });
      // The echo's rows do not match the filter and are never printed.
      await waitForRows(root, { type: "sense.error" }, 3);
      expect(parsed()).toHaveLength(5);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });
});
