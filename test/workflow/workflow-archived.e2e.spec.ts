import { readdirSync } from "node:fs";
import { join } from "node:path";
import { LogArchive, RunArchive, openLogDatabase } from "@nerve/store/archive";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WorkspaceSeed } from "./support/seed.js";
import { initWorkspace, parseJsonOutput, type TestWorkspace } from "./support/workspace.js";

const DAY = 86_400_000;

interface Inspection {
  run: Record<string, unknown>;
  logs: { id: number; type: string; refId: string; payload: unknown }[];
  total: number;
  archived?: boolean;
}

interface Thread {
  runId: string;
  start: { prompt: string } | null;
  rounds: { round: number; role: string; content: unknown }[];
  elided: number;
  archived?: boolean;
}

let ws: TestWorkspace;
let archivedId: string;
let liveId: string;
/** Ten days ago: the runs of that day go to the archive with a 7-day cutoff. */
let T: number;

/** Archives logs and runs as the retention pass does: whole days older than 7 days. */
async function archive(): Promise<void> {
  const db = openLogDatabase(ws.dir);
  try {
    await new LogArchive(db, ws.dir).archive({ olderThanMs: 7 * DAY });
    await new RunArchive(db, ws.dir).archive({ olderThanMs: 7 * DAY });
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  T = Date.now() - 10 * DAY;
  ws = await initWorkspace();
  const seed = new WorkspaceSeed(ws.dir);
  archivedId = seed.run({
    workflow: "investigate",
    status: "completed",
    createdAt: T,
    prompt: "why is the load high?",
    payload: { pct: 93 },
    maxRounds: 5,
    rounds: 2,
    endReason: "end",
  });
  // A run still in the database whose id shares its first 24 characters with the archived one.
  const differ = archivedId[24] === "0" ? "1" : "0";
  liveId = seed.run({
    runId: `${archivedId.slice(0, 24)}${differ}00000000000`,
    workflow: "investigate",
    status: "started",
    createdAt: T + 10,
  });
  await seed.row({ ts: T + 1, source: "daemon", type: "workflow.started", refId: archivedId });
  await seed.messages(archivedId, "investigate", [
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
  await seed.row({ ts: T + 5, source: "daemon", type: "workflow.completed", refId: archivedId });
  await seed.close();
  await archive();
});
afterEach(() => ws.cleanup());

describe("a run moved to the archive", () => {
  it("has left the database, its rows in the runs and logs archive", async () => {
    expect(readdirSync(join(ws.dir, "data", "archive", "runs"))).toHaveLength(1);
    const list = parseJsonOutput(await ws.cli(["workflow", "list", "--all", "--json"])) as {
      runId: string;
    }[];
    expect(list.map((run) => run.runId)).toEqual([liveId]);
  });

  it("is found by `workflow inspect` with its log rows, marked archived", async () => {
    const result = parseJsonOutput(
      await ws.cli(["workflow", "inspect", archivedId, "--json"]),
    ) as Inspection;
    expect(result.archived).toBe(true);
    expect(result.run).toMatchObject({
      runId: archivedId,
      status: "completed",
      payload: { pct: 93 },
      rounds: 2,
      createdAt: T,
      endReason: "end",
    });
    expect(result.total).toBe(5);
    expect(result.logs.map((row) => row.type)).toEqual([
      "workflow.started",
      "workflow.message",
      "workflow.message",
      "workflow.message",
      "workflow.completed",
    ]);
    const page = parseJsonOutput(
      await ws.cli(["workflow", "inspect", archivedId, "--offset", "3", "--json"]),
    ) as Inspection;
    expect(page.logs.map((row) => row.type)).toEqual(["workflow.message", "workflow.completed"]);
  });

  it("is found by a unique prefix and says it came from the archive", async () => {
    const prefix = archivedId.slice(0, 25);
    const run = await ws.cli(["workflow", "inspect", prefix]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("from the archive");
    expect(run.stdout).toContain(archivedId);
    expect(run.stdout).toContain("workflow.completed");
  });

  it("names the runs of an ambiguous prefix across database and archive", async () => {
    const shared = archivedId.slice(0, 24);
    const run = await ws.cli(["workflow", "inspect", shared]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(archivedId);
    expect(run.stderr).toContain(liveId);
  });

  it("has its thread read back by `workflow thread`", async () => {
    const thread = parseJsonOutput(
      await ws.cli(["workflow", "thread", archivedId, "--json"]),
    ) as Thread;
    expect(thread).toEqual({
      runId: archivedId,
      start: expect.objectContaining({ prompt: "why is the load high?" }) as unknown,
      rounds: [
        expect.objectContaining({ round: 1, role: "analyst", content: "usage is 93%" }),
        expect.objectContaining({ round: 2, role: "cleaner", content: { removed: 12 } }),
      ] as unknown,
      elided: 0,
      archived: true,
    });
    const people = await ws.cli(["workflow", "thread", archivedId]);
    expect(people.code, people.stderr).toBe(0);
    expect(people.stdout).toContain("from the archive");
    expect(people.stdout).toMatch(/^#2 cleaner · /m);
  });

  it("leaves a run still in the database unmarked", async () => {
    const result = parseJsonOutput(
      await ws.cli(["workflow", "inspect", liveId, "--json"]),
    ) as Inspection;
    expect(Object.keys(result)).toEqual(["run", "logs", "total"]);
  });

  it("still says when no run has the id", async () => {
    const run = await ws.cli(["workflow", "thread", `${archivedId.slice(0, 30)}ffffff`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no run");
  });
});
