import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspaceSeed } from "./support/seed.js";
import { ESCAPE, initWorkspace, parseJsonOutput, type TestWorkspace } from "./support/workspace.js";

const LIST_KEYS = [
  "runId",
  "workflow",
  "status",
  "rounds",
  "maxRounds",
  "prompt",
  "source",
  "causeId",
  "createdAt",
  "startedAt",
  "endedAt",
  "endReason",
  "error",
];

let ws: TestWorkspace;
/** Run ids by name, oldest (a) to newest (e). */
let ids: Record<"a" | "b" | "c" | "d" | "e", string>;
/** An hour and a half ago, set per test: every run reads "1h ago", far from a unit boundary. */
let T: number;

beforeEach(async () => {
  T = Date.now() - 90 * 60_000;
  ws = await initWorkspace();
  const seed = new WorkspaceSeed(ws.dir);
  ids = {
    a: seed.run({
      workflow: "investigate",
      status: "completed",
      createdAt: T + 1_000,
      rounds: 3,
      endReason: "end",
    }),
    b: seed.run({
      workflow: "investigate",
      status: "started",
      createdAt: T + 2_000,
      prompt: "why is the load high?",
      source: "sense:load-watch",
      causeId: "sig-1",
    }),
    c: seed.run({ workflow: "cleanup", status: "queued", createdAt: T + 3_000 }),
    d: seed.run({
      workflow: "cleanup",
      status: "failed",
      createdAt: T + 4_000,
      error: "role cleaner threw: disk is read-only",
    }),
    e: seed.run({ workflow: "investigate", status: "queued", createdAt: T + 5_000 }),
  };
  await seed.close();
});
afterEach(() => ws.cleanup());

function runIds(value: unknown): string[] {
  return (value as { runId: string }[]).map((run) => run.runId);
}

describe("nerve workflow list", () => {
  describe("filters", () => {
    it("lists only active runs (queued, started), newest first, by default", async () => {
      const runs = parseJsonOutput(await ws.cli(["workflow", "list", "--json"]));
      expect(runIds(runs)).toEqual([ids.e, ids.c, ids.b]);
    });

    it("lists every run with --all", async () => {
      const runs = parseJsonOutput(await ws.cli(["workflow", "list", "--all", "--json"]));
      expect(runIds(runs)).toEqual([ids.e, ids.d, ids.c, ids.b, ids.a]);
    });

    it("keeps to one workflow with --workflow", async () => {
      const all = await ws.cli(["workflow", "list", "--all", "--workflow", "cleanup", "--json"]);
      expect(runIds(parseJsonOutput(all))).toEqual([ids.d, ids.c]);
      const active = await ws.cli(["workflow", "list", "--workflow", "cleanup", "--json"]);
      expect(runIds(parseJsonOutput(active))).toEqual([ids.c]);
    });

    it("prints an empty array and says so when there are no runs", async () => {
      const fresh = await initWorkspace();
      try {
        expect(parseJsonOutput(await fresh.cli(["workflow", "list", "--all", "--json"]))).toEqual(
          [],
        );
        const human = await fresh.cli(["workflow", "list"]);
        expect(human.code).toBe(0);
        expect(human.stdout).toMatch(/^no active runs/);
      } finally {
        fresh.cleanup();
      }
    });
  });

  describe("paging", () => {
    it("pages with --limit and --offset", async () => {
      const run = await ws.cli(["workflow", "list", "--all", "--limit", "2", "--offset", "1"]);
      const json = await ws.cli([
        ...["workflow", "list", "--all", "--limit", "2", "--offset", "1", "--json"],
      ]);
      expect(runIds(parseJsonOutput(json))).toEqual([ids.d, ids.c]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("showing 2–3 of 5 (use --offset 3)");
    });

    it("says nothing about paging when one page holds every run", async () => {
      const run = await ws.cli(["workflow", "list", "--all"]);
      expect(run.stdout).not.toContain("showing");
    });

    it("says there is nothing at an offset past the end", async () => {
      const run = await ws.cli(["workflow", "list", "--all", "--offset", "9"]);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe("nothing at --offset 9: there are 5");
    });

    it.each([
      ["--limit", "0"],
      ["--limit", "abc"],
      ["--limit", "1.5"],
      ["--limit", "1e3"],
      ["--offset", "-1"],
      ["--offset", "x"],
    ])("rejects %s %s as a usage error", async (flag, value) => {
      const run = await ws.cli(["workflow", "list", `${flag}=${value}`, "--json"]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(`${flag}: expected a whole number`);
      expect(run.stderr).toContain(JSON.stringify(value));
    });
  });

  describe("output", () => {
    it("prints exactly the documented fields of each run with --json", async () => {
      const runs = parseJsonOutput(await ws.cli(["workflow", "list", "--all", "--json"])) as Record<
        string,
        unknown
      >[];
      for (const run of runs) expect(Object.keys(run)).toEqual(LIST_KEYS);
      expect(runs[1]).toEqual({
        runId: ids.d,
        workflow: "cleanup",
        status: "failed",
        rounds: 0,
        maxRounds: 10,
        prompt: "",
        source: "cli",
        causeId: null,
        createdAt: T + 4_000,
        startedAt: T + 4_000,
        endedAt: T + 5_000,
        endReason: null,
        error: "role cleaner threw: disk is read-only",
      });
      expect(runs[3]).toMatchObject({
        runId: ids.b,
        prompt: "why is the load high?",
        source: "sense:load-watch",
        causeId: "sig-1",
      });
    });

    it("shows a table whose run column holds unique id prefixes that inspect accepts", async () => {
      const run = await ws.cli(["workflow", "list", "--all"]);
      expect(run.code).toBe(0);
      const [header, ...rows] = run.stdout.trimEnd().split("\n");
      expect(header).toMatch(/^RUN\s+WORKFLOW\s+STATUS\s+ROUNDS\s+SOURCE\s+CREATED\s+PROMPT$/);
      expect(rows).toHaveLength(5);
      const all = Object.values(ids);
      const shown = rows.map((row) => row.split(/\s+/)[0]);
      expect(shown.map((prefix) => all.find((id) => id.startsWith(prefix)))).toEqual([
        ids.e,
        ids.d,
        ids.c,
        ids.b,
        ids.a,
      ]);
      for (const prefix of shown) {
        expect(prefix.length).toBeGreaterThanOrEqual(8);
        expect(all.filter((id) => id.startsWith(prefix))).toHaveLength(1);
      }
      expect(rows[0]).toMatch(/investigate\s+queued\s+0\/10\s+cli\s+1h ago/);
      expect(rows[3]).toMatch(/started\s+0\/10\s+sense:load-watch\s+.*why is the load high\?$/);
      expect(rows[4]).toMatch(/completed\s+3\/10/);

      const inspect = await ws.cli(["workflow", "inspect", shown[3], "--json"]);
      expect((parseJsonOutput(inspect) as { run: { runId: string } }).run.runId).toBe(ids.b);
    });

    it("prints no colour escapes when not on a terminal, with or without NO_COLOR", async () => {
      for (const NO_COLOR of ["", "1"]) {
        const run = await ws.cli(["workflow", "list", "--all", "--limit", "2"], { NO_COLOR });
        expect(run.code).toBe(0);
        expect(run.stdout).toContain("failed");
        expect(run.stdout).not.toContain(ESCAPE);
      }
    });
  });
});
