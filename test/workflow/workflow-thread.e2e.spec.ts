import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspaceSeed } from "./support/seed.js";
import { ESCAPE, initWorkspace, parseJsonOutput, type TestWorkspace } from "./support/workspace.js";

interface Thread {
  runId: string;
  start: Record<string, unknown> | null;
  rounds: { round: number; role: string; content: unknown; ts: number }[];
  elided: number;
}

/** A while ago, set per test so relative times read the same in every test. */
let T: number;
const LONG_REPORT = Array.from({ length: 30 }, (_, i) => `finding ${i + 1}`).join("\n");
const ROUNDS = [
  { role: "analyst", content: "usage is 93%" },
  { role: "cleaner", content: { removed: 12, paths: ["/tmp/a", "/tmp/b"] } },
  { role: "analyst", content: LONG_REPORT },
  { role: "reporter", content: { summary: "cleaned up", ok: true } },
];

let ws: TestWorkspace;
let runId: string;
let emptyRunId: string;

beforeEach(async () => {
  T = Date.now() - 10 * 60_000 - 20_000;
  ws = await initWorkspace();
  const seed = new WorkspaceSeed(ws.dir);
  runId = seed.run({
    workflow: "investigate",
    status: "started",
    createdAt: T,
    prompt: "why is the load high?",
    payload: { pct: 93 },
    rounds: 4,
  });
  emptyRunId = seed.run({ workflow: "investigate", status: "queued", createdAt: T + 10 });
  await seed.messages(runId, "investigate", [
    { kind: "start", prompt: "why is the load high?", payload: { pct: 93 }, maxRounds: 10, ts: T },
    ...ROUNDS.map((r, i) => ({
      kind: "role" as const,
      round: i + 1,
      ts: T + (i + 1) * 1_000,
      ...r,
    })),
  ]);
  await seed.close();
});
afterEach(() => ws.cleanup());

function size(content: unknown): number {
  return JSON.stringify(content).length;
}

describe("nerve workflow thread", () => {
  describe("--json", () => {
    it("prints the start message and every round in order", async () => {
      const thread = parseJsonOutput(await ws.cli(["workflow", "thread", runId, "--json"]));
      expect(thread).toEqual({
        runId,
        start: {
          kind: "start",
          prompt: "why is the load high?",
          payload: { pct: 93 },
          maxRounds: 10,
          ts: T,
        },
        rounds: ROUNDS.map((r, i) => ({
          round: i + 1,
          role: r.role,
          content: r.content,
          ts: T + (i + 1) * 1_000,
        })),
        elided: 0,
      });
      expect(Object.keys(thread as object)).toEqual(["runId", "start", "rounds", "elided"]);
    });

    it("keeps only rounds before --before", async () => {
      const args = ["workflow", "thread", runId, "--before", "3", "--json"];
      const thread = parseJsonOutput(await ws.cli(args)) as Thread;
      expect(thread.rounds.map((r) => r.round)).toEqual([1, 2]);
      expect(thread.elided).toBe(0);
    });

    it("keeps the newest rounds that fit in --budget and counts the others", async () => {
      const budget = size(ROUNDS[3].content) + size(ROUNDS[2].content);
      const args = ["workflow", "thread", runId, "--budget", String(budget), "--json"];
      const thread = parseJsonOutput(await ws.cli(args)) as Thread;
      expect(thread.rounds.map((r) => r.round)).toEqual([3, 4]);
      expect(thread.elided).toBe(2);
      expect(thread.start).not.toBeNull();

      const tighter = ["workflow", "thread", runId, "--budget", String(budget - 1), "--json"];
      expect((parseJsonOutput(await ws.cli(tighter)) as Thread).elided).toBe(3);
    });

    it("combines --before and --budget", async () => {
      const budget = size(ROUNDS[1].content);
      const args = ["workflow", "thread", runId, "--before", "3", "--budget", String(budget)];
      const thread = parseJsonOutput(await ws.cli([...args, "--json"])) as Thread;
      expect(thread.rounds.map((r) => r.round)).toEqual([2]);
      expect(thread.elided).toBe(1);
    });

    it("prints an empty thread for a run with no messages yet", async () => {
      const thread = parseJsonOutput(await ws.cli(["workflow", "thread", emptyRunId, "--json"]));
      expect(thread).toEqual({ runId: emptyRunId, start: null, rounds: [], elided: 0 });
    });

    it("fails with exit 1 for an unknown run", async () => {
      const run = await ws.cli(["workflow", "thread", "0000000-unknown", "--json"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("no run 0000000-unknown");
    });
  });

  describe("for people", () => {
    it("shows the start message and each round under a header with its role and time", async () => {
      const run = await ws.cli(["workflow", "thread", runId]);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain(ESCAPE);
      const out = run.stdout;
      expect(out).toMatch(new RegExp(`^run ${runId} · investigate · started · 4/10 rounds$`, "m"));
      expect(out).toMatch(/^start · \S.* \(10m ago\)$/m);
      expect(out).toContain("  prompt: why is the load high?");
      expect(out).toContain('      "pct": 93');
      expect(out).toMatch(/^#1 analyst · \S.* ago\)\n {2}usage is 93%$/m);
      expect(out).toMatch(/^#2 cleaner · .*\n {2}\{\n {4}"removed": 12,$/m);
      expect(out).toMatch(/^#4 reporter · /m);
      expect(out).not.toContain("left out");
    });

    it("cuts long content to a few lines unless --full", async () => {
      const short = await ws.cli(["workflow", "thread", runId]);
      expect(short.stdout).toContain("  finding 8\n");
      expect(short.stdout).not.toContain("finding 9\n");
      expect(short.stdout).toContain("  … 22 more lines (--full shows everything)");

      const full = await ws.cli(["workflow", "thread", runId, "--full"]);
      expect(full.stdout).toContain("  finding 30\n");
      expect(full.stdout).not.toContain("more lines");
    });

    it("says how many earlier rounds the budget left out", async () => {
      const budget = size(ROUNDS[3].content);
      const run = await ws.cli(["workflow", "thread", runId, "--budget", String(budget)]);
      expect(run.stdout).toContain("3 earlier rounds left out (--budget)");
      expect(run.stdout).not.toContain("#3 analyst");
      expect(run.stdout).toContain("#4 reporter");
    });

    it("says when a run has no messages yet", async () => {
      const run = await ws.cli(["workflow", "thread", emptyRunId]);
      expect(run.stdout).toContain("(no start message committed yet)");
      expect(run.stdout).toContain("(no rounds yet)");
    });
  });

  describe("usage errors", () => {
    it.each([["--before=0"], ["--before=x"], ["--budget=-5"], ["--budget=lots"]])(
      "rejects %s with exit 2",
      async (arg) => {
        const run = await ws.cli(["workflow", "thread", runId, arg, "--json"]);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(/--(before|budget): expected a whole number/);
      },
    );
  });
});
