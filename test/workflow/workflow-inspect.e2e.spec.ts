import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspaceSeed } from "./support/seed.js";
import { ESCAPE, initWorkspace, parseJsonOutput, type TestWorkspace } from "./support/workspace.js";

interface Inspection {
  run: Record<string, unknown>;
  logs: { id: number; ts: number; source: string; type: string; refId: string; payload: unknown }[];
  total: number;
}

let ws: TestWorkspace;
let runId: string;
/** A while ago, set per test so relative times read the same in every test. */
let T: number;

beforeEach(async () => {
  T = Date.now() - 10 * 60_000 - 20_000;
  ws = await initWorkspace();
  const seed = new WorkspaceSeed(ws.dir);
  runId = seed.run({
    workflow: "investigate",
    status: "completed",
    createdAt: T,
    prompt: "why is the load high?",
    payload: { pct: 93 },
    maxRounds: 5,
    rounds: 2,
    source: "sense:load-watch",
    causeId: "sig-7",
    endReason: "end",
  });
  const other = seed.run({ workflow: "investigate", status: "started", createdAt: T + 50 });
  const source = "workflow:investigate";
  await seed.row({ ts: T + 1, source: "daemon", type: "workflow.started", refId: runId });
  await seed.messages(runId, "investigate", [
    {
      kind: "start",
      prompt: "why is the load high?",
      payload: { pct: 93 },
      maxRounds: 5,
      ts: T + 2,
    },
    { kind: "role", role: "analyst", round: 1, content: "usage is 93%", ts: T + 3 },
    { kind: "role", role: "cleaner", round: 2, content: { removed: 12 }, ts: T + 4 },
  ]);
  await seed.row({ ts: T + 100, source, type: "workflow.message", refId: other, payload: {} });
  await seed.row({
    ts: T + 5,
    source: "daemon",
    type: "workflow.completed",
    refId: runId,
    payload: { endReason: "end" },
  });
  await seed.close();
});
afterEach(() => ws.cleanup());

describe("nerve workflow inspect", () => {
  describe("--json", () => {
    it("prints the run with its payload, its log rows oldest first, and their total", async () => {
      const result = parseJsonOutput(
        await ws.cli(["workflow", "inspect", runId, "--json"]),
      ) as Inspection;
      expect(Object.keys(result)).toEqual(["run", "logs", "total"]);
      expect(result.run).toEqual({
        runId,
        workflow: "investigate",
        status: "completed",
        rounds: 2,
        maxRounds: 5,
        prompt: "why is the load high?",
        payload: { pct: 93 },
        source: "sense:load-watch",
        causeId: "sig-7",
        createdAt: T,
        startedAt: T,
        endedAt: T + 1_000,
        endReason: "end",
        error: null,
      });
      expect(result.total).toBe(5);
      expect(result.logs.map((row) => row.type)).toEqual([
        "workflow.started",
        "workflow.message",
        "workflow.message",
        "workflow.message",
        "workflow.completed",
      ]);
      for (const row of result.logs) {
        expect(Object.keys(row)).toEqual(["id", "ts", "source", "type", "refId", "payload"]);
        expect(row.refId).toBe(runId);
      }
      expect(result.logs[0].payload).toBeNull();
      expect(result.logs[3]).toMatchObject({
        ts: T + 4,
        source: "workflow:investigate",
        payload: { kind: "role", role: "cleaner", round: 2, content: { removed: 12 }, ts: T + 4 },
      });
    });

    it("pages the log rows with --limit and --offset and still counts them all", async () => {
      const args = ["workflow", "inspect", runId, "--limit", "2", "--offset", "1", "--json"];
      const result = parseJsonOutput(await ws.cli(args)) as Inspection;
      expect(result.total).toBe(5);
      expect(result.logs.map((row) => row.ts)).toEqual([T + 2, T + 3]);
    });
  });

  describe("run ids", () => {
    it("fails with exit 1 naming an unknown run", async () => {
      const run = await ws.cli(["workflow", "inspect", "no-such-run-id", "--json"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^nerve: no run no-such-run-id in /);
    });

    it("accepts a unique prefix of at least 8 characters", async () => {
      const prefix = runId.slice(0, 23);
      const result = parseJsonOutput(await ws.cli(["workflow", "inspect", prefix, "--json"]));
      expect((result as Inspection).run.runId).toBe(runId);
    });

    it("names the candidates of an ambiguous prefix", async () => {
      const seed = new WorkspaceSeed(ws.dir);
      const first = seed.run({
        runId: "feedbeef-0001",
        workflow: "w",
        status: "queued",
        createdAt: T,
      });
      const second = seed.run({
        runId: "feedbeef-0002",
        workflow: "w",
        status: "queued",
        createdAt: T,
      });
      await seed.close();
      const run = await ws.cli(["workflow", "inspect", "feedbeef"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("ambiguous");
      expect(run.stderr).toContain(first);
      expect(run.stderr).toContain(second);
      const exact = await ws.cli(["workflow", "inspect", "feedbeef-0002", "--json"]);
      expect((parseJsonOutput(exact) as Inspection).run.runId).toBe(second);
    });

    it("does not look up prefixes shorter than 8 characters", async () => {
      const run = await ws.cli(["workflow", "inspect", runId.slice(0, 7)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("at least 8 characters");
    });
  });

  describe("for people", () => {
    it("shows the run's fields, its log rows and which page this is", async () => {
      const run = await ws.cli(["workflow", "inspect", runId, "--limit", "2", "--offset", "1"]);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain(ESCAPE);
      const out = run.stdout;
      expect(out).toMatch(new RegExp(`^run\\s+${runId}$`, "m"));
      expect(out).toMatch(/^status\s+completed \(end\)$/m);
      expect(out).toMatch(/^rounds\s+2 of at most 5$/m);
      expect(out).toMatch(/^source\s+sense:load-watch \(cause sig-7\)$/m);
      expect(out).toMatch(/^prompt\s+why is the load high\?$/m);
      expect(out).toContain('"pct": 93');
      expect(out).toContain("LOG (5 rows, oldest first)");
      expect(out).toMatch(/^ID\s+TIME\s+TYPE\s+SOURCE\s+PAYLOAD$/m);
      expect(out).toMatch(
        /^2\s+.*\s+workflow\.message\s+workflow:investigate\s+\{"kind":"start",/m,
      );
      expect(out).toMatch(/^3\s+.*\s+workflow\.message\s+.*\{"kind":"role","role":"analyst",/m);
      expect(out).not.toContain("workflow.completed");
      expect(out).toContain("showing 2–3 of 5 (use --offset 3)");
    });

    it.each([["--limit=0"], ["--offset=-2"]])("rejects %s as a usage error", async (arg) => {
      const run = await ws.cli(["workflow", "inspect", runId, arg]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("expected a whole number");
    });
  });
});
