import { afterEach, describe, expect, it } from "vitest";
import { LogStore, RunStore, newRunId, openLogDatabase } from "@nerve/store";
import { nerve } from "../support/cli.js";
import { startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { makeWorkspace } from "../support/workspace.js";

interface TraceNode {
  id: string;
  kind: string;
  parentIds: string[];
  ts: number;
  durationMs: number | null;
  summary: string;
  archived?: true;
}
interface Trace {
  root: string;
  target: string;
  nodes: TraceNode[];
  truncated: string[];
}

let root: string;
let cleanup: () => void;

afterEach(async () => {
  await stopDaemon(root);
  cleanup();
});

async function trace(id: string, ...args: string[]): Promise<Trace> {
  const run = await nerve(["trace", id, "--json", "--root", root, ...args]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Trace;
}

async function traceText(id: string): Promise<string> {
  const run = await nerve(["trace", id, "--root", root]);
  expect(run.code).toBe(0);
  return run.stdout;
}

function only(nodes: TraceNode[], predicate: (node: TraceNode) => boolean): TraceNode {
  const found = nodes.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0];
}

interface RunView {
  runId: string;
  status: string;
  payload: { ids: string[] };
}

async function runs(): Promise<RunView[]> {
  const list = await nerve(["workflow", "list", "--all", "--json", "--root", root]);
  const ids = (JSON.parse(list.stdout) as { runId: string }[]).map((run) => run.runId);
  const views: RunView[] = [];
  for (const id of ids) {
    const inspect = await nerve(["workflow", "inspect", id, "--json", "--root", root]);
    views.push((JSON.parse(inspect.stdout) as { run: RunView }).run);
  }
  return views;
}

const TWO_ROUNDS = [
  'import { END } from "@nerve/core";',
  "export default {",
  "  roles: { a: async () => 'one', b: async () => 'two' },",
  "  moderator: ({ messages }) => (messages.length === 1 ? 'a' : messages.length === 2 ? 'b' : END),",
  "};",
  "",
].join("\n");

describe("nerve trace", () => {
  it("traces tick → signal → coalesced compute → run → rounds exactly, each cause once", async () => {
    // `src` ticks every 150 ms; `gate` is throttled to one compute per 1.2 s, so its computes
    // after the first coalesce several signals, and it starts a run with the ids it received.
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": [
        "senses:",
        "  src: {}",
        "  gate:",
        "    throttle: 1200ms",
        "reflexes:",
        "  - kind: sense",
        "    sense: src",
        "    interval: 150ms",
        "  - kind: sense",
        "    sense: gate",
        "    on: [src]",
        "workflows:",
        "  job: {}",
        "",
      ].join("\n"),
      "senses/src/compute.ts": "let n = 0;\nexport const compute = () => ({ n: ++n });\n",
      "senses/gate/compute.ts": [
        "let launched = false;",
        "export const compute = (ctx) => {",
        "  if (launched || ctx.trigger.signals.length < 2) return null;",
        "  launched = true;",
        "  return { workflow: 'job|5|go', ids: ctx.trigger.signals.map((s) => s.id) };",
        "};",
        "",
      ].join("\n"),
      "workflows/job/index.ts": TWO_ROUNDS,
    }));
    await startDaemon(root);
    await waitForRows(root, { type: "workflow.completed" }, 1);
    const [run] = await runs();
    const coalesced = run.payload.ids;
    expect(coalesced.length).toBeGreaterThanOrEqual(2);

    const t = await trace(run.runId.slice(0, 20));
    expect(t.target).toBe(run.runId);
    const runNode = only(t.nodes, (n) => n.id === run.runId);
    expect(runNode).toMatchObject({ kind: "run" });
    expect(runNode.summary).toContain("job completed 2/5 rounds");
    const gate = only(t.nodes, (n) => n.kind === "compute" && n.summary.startsWith("compute gate"));
    expect(runNode.parentIds).toEqual([gate.id]);
    expect(gate.summary).toContain(`(coalesced ${coalesced.length} signals)`);
    expect(gate.summary).toContain("→ launch job");
    // Exactly the signals the compute received, no more.
    expect([...gate.parentIds].sort()).toEqual([...coalesced].sort());
    for (const signalId of coalesced) {
      const signal = only(t.nodes, (n) => n.id === signalId);
      expect(signal.kind).toBe("signal");
      const maker = only(t.nodes, (n) => n.id === signal.parentIds[0]);
      expect(maker.summary).toMatch(/^compute src \d+ ms → signal /);
      const tick = only(t.nodes, (n) => n.id === maker.parentIds[0]);
      expect(tick).toMatchObject({ kind: "tick", summary: "tick src", parentIds: [] });
    }
    const rounds = t.nodes.filter((n) => n.kind === "round");
    expect(rounds.map((n) => n.summary.replace(/ \d+ ms$/, ""))).toEqual([
      "round 1 a",
      "round 2 b",
    ]);
    for (const round of rounds) expect(round.parentIds).toEqual([run.runId]);
    expect(t.nodes.filter((n) => n.kind === "tick")).toHaveLength(coalesced.length);
    expect(t.root).toBe(t.nodes.find((n) => n.kind === "tick")!.id);

    // The text tree shows the shared compute once in full, and refers to it after that.
    const text = await traceText(run.runId);
    expect(text.match(/compute gate/g)).toHaveLength(coalesced.length);
    expect(text.match(/\(shown above\)/g)).toHaveLength(coalesced.length - 1);
    expect(text.match(/round 1 a/g)).toHaveLength(1);
    expect(text).toMatch(/^tick src \d\d:\d\d:\d\d\.\d{3}\n└ compute src \d+ ms → signal /);

    // --depth 0 from the first signal: its causes, none of its effects.
    const shallow = await trace(coalesced[0], "--depth", "0");
    expect(shallow.nodes.map((n) => n.kind).sort()).toEqual(["compute", "signal", "tick"]);
    expect(shallow.truncated).toEqual([coalesced[0]]);
  });

  it("shows one signal fanning out to three senses", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": [
        "senses:",
        "  bell: {}",
        "  a: {}",
        "  b: {}",
        "  c: {}",
        "reflexes:",
        ...["a", "b", "c"].flatMap((s) => ["  - kind: sense", `    sense: ${s}`, "    on: [bell]"]),
        "",
      ].join("\n"),
      "senses/bell/compute.ts": "export const compute = () => ({ ring: 1 });\n",
      ...Object.fromEntries(
        ["a", "b", "c"].map((s) => [
          `senses/${s}/compute.ts`,
          `export const compute = () => ({ heard: "${s}" });\n`,
        ]),
      ),
    }));
    await startDaemon(root);
    expect((await nerve(["sense", "trigger", "bell", "--root", root])).code).toBe(0);
    const [bell] = await waitForRows(root, { type: "signal", source: "sense:bell" }, 1);
    await waitForRows(root, { type: "signal" }, 4);
    const t = await trace(bell.refId!);
    expect(t.target).toBe(bell.refId);
    const trigger = only(t.nodes, (n) => n.kind === "trigger");
    expect(trigger.summary).toBe("nerve sense trigger bell");
    const listeners = t.nodes.filter((n) => n.kind === "compute" && n.parentIds[0] === bell.refId);
    expect(listeners.map((n) => n.summary.split(" ")[1]).sort()).toEqual(["a", "b", "c"]);
    for (const listener of listeners) {
      const signal = only(t.nodes, (n) => n.kind === "signal" && n.parentIds[0] === listener.id);
      expect(signal.summary).toContain('"heard"');
    }
    const text = await traceText(bell.refId!);
    expect(text.split("\n")[0]).toMatch(/^nerve sense trigger bell /);
    expect(text).toMatch(/├ compute [abc] /);
    expect(text).toMatch(/└ compute [abc] /);
  });

  it("follows a run across a daemon restart, with the daemon stopped", async () => {
    ({ root, cleanup } = makeWorkspace({
      "nerve.yaml": [
        "senses:",
        "  kick: {}",
        "reflexes:",
        "  - kind: sense",
        "    sense: kick",
        "    interval: 1h",
        "workflows:",
        "  slow: {}",
        "",
      ].join("\n"),
      "senses/kick/compute.ts":
        "export const compute = (ctx) => ctx.trigger.kind === 'manual' ? { workflow: 'slow|3|' } : null;\n",
      "workflows/slow/index.ts": [
        'import { END } from "@nerve/core";',
        "export default {",
        "  roles: {",
        "    wait: async () => { await new Promise((r) => setTimeout(r, 4000)); return 'waited'; },",
        "    done: async () => 'done',",
        "  },",
        "  moderator: ({ messages }) => (messages.length === 1 ? 'wait' : messages.length === 2 ? 'done' : END),",
        "};",
        "",
      ].join("\n"),
    }));
    await startDaemon(root);
    expect((await nerve(["sense", "trigger", "kick", "--root", root])).code).toBe(0);
    const [started] = await waitForRows(root, { type: "workflow.started" }, 1);
    expect((await stopDaemon(root)).code).toBe(0);
    await startDaemon(root);
    await waitForRows(root, { type: "workflow.completed" }, 1, 30_000);
    expect((await stopDaemon(root)).code).toBe(0);

    const t = await trace(started.refId!);
    expect(only(t.nodes, (n) => n.kind === "trigger").summary).toBe("nerve sense trigger kick");
    const kick = only(t.nodes, (n) => n.kind === "compute");
    expect(kick.summary).toContain("→ launch slow");
    const run = only(t.nodes, (n) => n.kind === "run");
    expect(run.parentIds).toEqual([kick.id]);
    expect(run.summary).toContain("slow completed 2/3 rounds");
    const below = t.nodes.filter((n) => n.parentIds.includes(run.id));
    expect(below.map((n) => n.summary.replace(/ \d+ ms$/, "").replace(/:.*/, ""))).toEqual([
      "resumed",
      "round 1 wait",
      "round 2 done",
    ]);
  });

  it("reads causes that were archived, and says so", async () => {
    ({ root, cleanup } = makeWorkspace({ "nerve.yaml": "senses: {}\n" }));
    // Three days ago: a tick of `old` made a signal, `older` coalesced it into a run.
    const t0 = Date.now() - 3 * 86_400_000;
    const db = openLogDatabase(root);
    const log = new LogStore(db);
    const runStore = new RunStore(db, undefined, () => t0 + 10);
    const tickCompute = newRunId(t0);
    const signalId = newRunId(t0 + 2);
    const launchCompute = newRunId(t0 + 5);
    const runId = newRunId(t0 + 10);
    await log.appendDurable({
      ts: t0 + 2,
      source: "sense:old",
      type: "signal",
      refId: signalId,
      payload: { v: 1 },
    });
    log.recordCompute({
      id: tickCompute,
      sense: "old",
      trigger: "interval",
      ts: t0,
      durationMs: 2,
      outcome: "signal",
      effect: signalId,
      causes: [],
    });
    runStore.create({
      runId,
      workflow: "w",
      status: "started",
      maxRounds: 2,
      source: "sense:older",
      causeId: signalId,
    });
    log.recordCompute({
      id: launchCompute,
      sense: "older",
      trigger: "signal",
      ts: t0 + 5,
      durationMs: 4,
      outcome: "run",
      effect: runId,
      causes: [signalId],
    });
    for (const [i, message] of [
      { kind: "start", prompt: "", payload: null, maxRounds: 2, ts: t0 + 10 },
      { kind: "role", role: "r", round: 1, content: "x", ts: t0 + 40 },
    ].entries()) {
      await log.appendDurable({
        ts: message.ts,
        source: "workflow:w",
        type: "workflow.message",
        refId: runId,
        payload: message,
      });
      expect(i).toBeLessThan(2);
    }
    await log.close();
    db.close();
    const archived = await nerve([
      "store",
      "archive",
      "--older-than",
      "1d",
      "--json",
      "--root",
      root,
    ]);
    expect(archived.code).toBe(0);
    expect((JSON.parse(archived.stdout) as { deleted: number }).deleted).toBe(3);

    const t = await trace(runId);
    expect(t.root).toBe(`${tickCompute}:tick`);
    const signal = only(t.nodes, (n) => n.id === signalId);
    expect(signal).toMatchObject({ kind: "signal", archived: true, summary: 'signal old {"v":1}' });
    expect(only(t.nodes, (n) => n.id === runId).archived).toBe(true);
    const round = only(t.nodes, (n) => n.kind === "round");
    expect(round).toMatchObject({ summary: "round 1 r 30 ms", durationMs: 30, archived: true });
    const text = await traceText(signalId.slice(0, 24));
    expect(text).toContain("[archive]");
    expect(text).toContain("read from data/archive/logs");
  });

  it("names what it cannot find", async () => {
    ({ root, cleanup } = makeWorkspace({ "nerve.yaml": "senses: {}\n" }));
    const run = await nerve(["trace", "01234567-nope", "--root", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no signal, run or compute 01234567-nope");
  });
});
