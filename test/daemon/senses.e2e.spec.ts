import { afterEach, describe, expect, it } from "vitest";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nerve } from "../support/cli.js";
import { childPids, logRows, startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

let root: string;
let cleanup: () => void;

afterEach(async () => {
  await stopDaemon(root);
  cleanup();
});

function yaml(lines: string[]): string {
  return `${lines.join("\n")}\n`;
}

/** A workspace whose sense `ver` signals `{ v: version }` every 100 ms. */
function versionedSense(version: string): Record<string, string> {
  return {
    "nerve.yaml": yaml([
      "senses:",
      "  ver: {}",
      "reflexes:",
      "  - kind: sense",
      "    sense: ver",
      "    interval: 100ms",
    ]),
    "senses/ver/compute.ts": `export const compute = () => ({ v: "${version}" });\n`,
  };
}

/** Whether a signal of `ver` came from version `version` of its code. */
function signalled(version: string): boolean {
  return logRows(root, { type: "signal" }).some(
    (row) => (row.payload as { v: string }).v === version,
  );
}

async function health(): Promise<{
  pid: number;
  groups: { name: string; pid: number | null; disabled: boolean; restarts: number }[];
}> {
  const run = await nerve(["status", "--json", "--root", root]);
  return JSON.parse(run.stdout);
}

describe("senses in a running daemon", () => {
  it("runs an interval chain: every signal of the source reaches the listener exactly once", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": yaml([
        "senses:",
        "  source: {}",
        "  listener:",
        "    throttle: 300ms",
        "reflexes:",
        "  - kind: sense",
        "    sense: source",
        "    interval: 50ms",
        "  - kind: sense",
        "    sense: listener",
        "    on: [source]",
      ]),
      "senses/source/compute.ts": "let n = 0;\nexport const compute = () => ({ n: ++n });\n",
      "senses/listener/migrations/001.sql":
        "CREATE TABLE heard (n INTEGER NOT NULL, batch INTEGER NOT NULL, started INTEGER, ended INTEGER);\n",
      "senses/listener/compute.ts": [
        'import type { SenseContext } from "@nerve/core";',
        "let batch = 0;",
        "export async function compute(ctx: SenseContext) {",
        "  const started = Date.now();",
        "  batch++;",
        "  await new Promise((r) => setTimeout(r, 20));",
        '  const insert = ctx.db.prepare("INSERT INTO heard (n, batch, started, ended) VALUES (?, ?, ?, ?)");',
        "  for (const s of ctx.trigger.signals) insert.run((s.payload as { n: number }).n, batch, started, Date.now());",
        "  return null;",
        "}",
      ].join("\n"),
    }));
    await startDaemon(root);
    const heardCount = async () => {
      const run = await nerve([
        "sense",
        "query",
        "listener",
        "SELECT count(*) AS n FROM heard",
        "--json",
        "--root",
        root,
      ]);
      return run.code === 0 ? (JSON.parse(run.stdout) as { n: number }[])[0].n : 0;
    };
    await waitFor(
      async () => (await heardCount()) >= 25,
      "the listener to hear 25 signals",
      60_000,
    );
    await stopDaemon(root);

    const emitted = logRows(root, { type: "signal", source: "sense:source" }).map(
      (row) => (row.payload as { n: number }).n,
    );
    const heard = await nerve([
      "sense",
      "query",
      "listener",
      "SELECT n, batch, started, ended FROM heard ORDER BY rowid",
      "--json",
      "--root",
      root,
    ]);
    const rows = JSON.parse(heard.stdout) as {
      n: number;
      batch: number;
      started: number;
      ended: number;
    }[];
    // Every signal the listener heard was logged, none twice, none skipped, in order; signals still
    // waiting out the throttle when the daemon stopped are the only ones it did not hear.
    expect(rows.map((r) => r.n)).toEqual(emitted.slice(0, rows.length));
    // Coalescing: fewer computes than signals.
    expect(new Set(rows.map((r) => r.batch)).size).toBeLessThan(rows.length);
    // One compute at a time: batches never overlap.
    const batches = [...new Map(rows.map((r) => [r.batch, r])).values()];
    for (let i = 1; i < batches.length; i++)
      expect(batches[i].started).toBeGreaterThanOrEqual(batches[i - 1].ended);
  });

  it("logs a throwing compute and keeps the worker alive", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": yaml([
        "senses:",
        "  flaky: {}",
        "reflexes:",
        "  - kind: sense",
        "    sense: flaky",
        "    interval: 100ms",
      ]),
      "senses/flaky/compute.ts":
        "let n = 0;\nexport function compute() { if (++n % 2) throw new Error(`odd ${n}`); return { n }; }\n",
    }));
    await startDaemon(root);
    const before = (await health()).groups[0].pid;
    const errors = await waitForRows(root, { type: "sense.error" }, 2);
    await waitForRows(root, { type: "signal" }, 2);
    expect(errors[0].payload).toMatchObject({ message: expect.stringContaining("odd") });
    expect((await health()).groups[0].pid).toBe(before);
  });

  it("aborts a compute at its timeout and replaces a worker that ignores the abort", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": yaml([
        "senses:",
        "  stuck:",
        "    timeout: 300ms",
        "reflexes:",
        "  - kind: sense",
        "    sense: stuck",
        "    interval: 1h",
      ]),
      "senses/stuck/compute.ts":
        "export function compute() { const end = Date.now() + 60_000; while (Date.now() < end) {} }\n",
    }));
    await startDaemon(root);
    const timeouts = await waitForRows(root, { type: "sense.timeout" }, 1);
    expect(timeouts[0].payload).toMatchObject({ message: expect.stringMatching(/timeout/) });
    await waitForRows(root, { type: "worker.exit" }, 1);
    const replaced = await waitFor(async () => {
      const group = (await health()).groups[0];
      return group.pid !== null && group.restarts >= 1 ? group : undefined;
    }, "a replacement worker");
    expect(replaced.disabled).toBe(false);
  });

  it("disables a crash-looping group and recovers when its file changes", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": yaml([
        "senses:",
        "  crashy: {}",
        "reflexes:",
        "  - kind: sense",
        "    sense: crashy",
        "    interval: 50ms",
      ]),
      "senses/crashy/compute.ts": "export function compute() { process.exit(3); }\n",
    }));
    await startDaemon(root);
    await waitFor(
      async () => (await health()).groups[0].disabled,
      "the group to be disabled",
      60_000,
    );
    const list = JSON.parse((await nerve(["sense", "list", "--json", "--root", root])).stdout);
    expect(list[0]).toMatchObject({ name: "crashy", disabled: true });

    writeFileSync(
      join(root, "senses/crashy/compute.ts"),
      "export const compute = () => ({ ok: true });\n",
    );
    await waitForRows(root, { type: "signal", source: "sense:crashy" }, 1, 30_000);
    expect((await health()).groups[0].disabled).toBe(false);
  });

  it("hot-reloads nerve.yaml: a new sense starts; an invalid file is logged and the old config stays", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": yaml([
        "senses:",
        "  one: {}",
        "reflexes:",
        "  - kind: sense",
        "    sense: one",
        "    interval: 100ms",
      ]),
      "senses/one/compute.ts": "export const compute = () => 1;\n",
      "senses/two/compute.ts": "export const compute = () => 2;\n",
    }));
    await startDaemon(root);
    writeFileSync(
      join(root, "nerve.yaml"),
      yaml([
        "senses:",
        "  one: {}",
        "  two: {}",
        "reflexes:",
        "  - kind: sense",
        "    sense: two",
        "    interval: 100ms",
      ]),
    );
    await waitForRows(root, { type: "signal", source: "sense:two" }, 1);
    await waitForRows(root, { type: "config.reload" }, 1);

    writeFileSync(join(root, "nerve.yaml"), "senses:\n  two:\n    throttle: whenever\n");
    const errors = await waitForRows(root, { type: "config.error" }, 1);
    expect(JSON.stringify(errors[0].payload)).toContain("senses.two.throttle");
    const count = logRows(root, { type: "signal", source: "sense:two" }).length;
    await waitForRows(root, { type: "signal", source: "sense:two" }, count + 2);
  });

  it("hot-reloads a sense file: the next compute runs the new code", async () => {
    ({ root, cleanup } = makeWorkspace(versionedSense("old")));
    await startDaemon(root);
    await waitForRows(root, { type: "signal" }, 1);
    writeFileSync(
      join(root, "senses/ver/compute.ts"),
      versionedSense("new")["senses/ver/compute.ts"],
    );
    await waitFor(() => signalled("new"), "a signal from the new code");
  });

  it("builds a group's senses together: one that does not compile fails alone, and its fix rebuilds only it", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": yaml([
        "senses:",
        "  good: { group: pair }",
        "  bad: { group: pair }",
        "reflexes:",
        "  - kind: sense",
        "    sense: good",
        "    interval: 100ms",
        "  - kind: sense",
        "    sense: bad",
        "    interval: 100ms",
      ]),
      "senses/good/compute.ts": 'export const compute = () => ({ from: "good" });\n',
      "senses/bad/compute.ts": "export const compute = () => {\n",
    }));
    await startDaemon(root);
    const [error] = await waitForRows(root, { type: "sense.error", source: "sense:bad" }, 1);
    expect(error.payload).toMatchObject({ phase: "compile", name: "SenseCompileError" });
    expect((error.payload as { message: string }).message).toMatch(
      /^sense bad does not compile: senses\/bad\/compute\.ts:\d+:\d+: Unexpected end of file/,
    );
    await waitForRows(root, { type: "signal", source: "sense:good" }, 1);
    expect(logRows(root, { type: "sense.error", source: "sense:good" })).toEqual([]);
    const goodBuild = join(root, ".nerve/build/senses/good/compute.mjs");
    const builtAt = statSync(goodBuild).mtimeMs;

    writeFileSync(join(root, "senses/bad/compute.ts"), "export const compute = () => 2;\n");
    await waitForRows(root, { type: "signal", source: "sense:bad" }, 1, 30_000);
    expect(statSync(goodBuild).mtimeMs).toBe(builtAt);
  });

  it("lets esbuild's process go once its builds are done, and compiles again on a change", async () => {
    ({ root, cleanup } = makeWorkspace(versionedSense("old")));
    const pid = await startDaemon(root);
    const esbuildOf = (): number[] =>
      childPids(pid).filter((child) => {
        try {
          return readFileSync(`/proc/${child}/cmdline`, "utf8").includes("esbuild");
        } catch {
          return false;
        }
      });
    await waitFor(() => esbuildOf().length === 0, "esbuild's service process to stop", 15_000);
    writeFileSync(
      join(root, "senses/ver/compute.ts"),
      versionedSense("new")["senses/ver/compute.ts"],
    );
    await waitFor(() => signalled("new"), "a signal from the recompiled code");
    await waitFor(
      () => esbuildOf().length === 0,
      "esbuild's service process to stop again",
      15_000,
    );
  });

  it("triggers a sense by hand and lists live fields", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": yaml(["senses:", "  manual: {}"]),
      "senses/manual/compute.ts":
        "export const compute = (ctx: { trigger: { kind: string } }) => ({ kind: ctx.trigger.kind });\n",
    }));
    await startDaemon(root);
    const trigger = await nerve(["sense", "trigger", "manual", "--json", "--root", root]);
    expect(JSON.parse(trigger.stdout)).toEqual({ sense: "manual", accepted: true });
    const rows = await waitForRows(root, { type: "signal" }, 1);
    expect(rows[0].payload).toEqual({ kind: "manual" });
    const list = JSON.parse((await nerve(["sense", "list", "--json", "--root", root])).stdout);
    expect(list[0]).toMatchObject({ name: "manual", computes: 1, errors: 0, disabled: false });

    const unknown = await nerve(["sense", "trigger", "nope", "--root", root]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nope/);
  });
});
