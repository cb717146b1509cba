import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { waitFor } from "../support/workspace.js";
import {
  ask,
  healthOf,
  reapDaemons,
  startDaemonProcess,
  stopDaemon,
  waitForDeath,
  type CommitFault,
  type DaemonProcess,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { integrityProblems, logQuery, logTable, lostRows } from "./support/store-checks.js";
import { faultWorkspace, fiveRoundFiles } from "./support/workspaces.js";

/** More commit points than a five-round run makes: the loop ends when the fault no longer fires. */
const MAX_COMMIT_POINTS = 40;
/** Worker deaths before the daemon is restarted, to stay clear of the five-in-60-s stop. */
const WORKER_KILLS_PER_DAEMON = 4;

let root = "";
let cleanup = (): void => undefined;

beforeAll(() => {
  ({ root, cleanup } = faultWorkspace(fiveRoundFiles()));
});

afterEach(async () => {
  await reapDaemons();
});

afterAll(() => {
  cleanup();
});

const arm = (): string => join(root, "arm");
const firedFile = (): string => join(root, "fired.txt");

function firedCount(): number {
  return existsSync(firedFile())
    ? readFileSync(firedFile(), "utf8").split("\n").filter(Boolean).length
    : 0;
}

interface RunRow {
  run_id: string;
  status: string;
  rounds: number;
  resumes: number;
  end_reason: string | null;
}

function runsCreatedAfter(since: number): RunRow[] {
  try {
    return logQuery<RunRow>(
      root,
      "SELECT run_id, status, rounds, resumes, end_reason FROM workflow_runs " +
        "WHERE created_at >= ? ORDER BY created_at",
      since,
    );
  } catch {
    return []; // Killed before its schema was complete: the restart finishes it.
  }
}

/** The rounds of the run's committed messages, in commit order (0: the start message). */
function committedRounds(runId: string): number[] {
  return logTable(root)
    .filter((row) => row.type === "workflow.message" && row.ref_id === runId)
    .map((row) => (JSON.parse(row.payload ?? "{}") as { round?: number }).round ?? 0);
}

/** Launches a run over the socket; the daemon may die before it answers. */
async function launch(): Promise<void> {
  await ask(root, { type: "trigger-workflow", workflow: "five", prompt: "count" }, 20_000).catch(
    () => undefined,
  );
}

/** The run launched at `since` once it completed; checks it ran each round exactly once. */
async function completedRun(context: TestContext, since: number, what: string): Promise<RunRow> {
  const run = await waitFor(
    () =>
      runsCreatedAfter(since).find((row) => row.status !== "started" && row.status !== "queued"),
    what,
    60_000,
  );
  const rounds = committedRounds(run.run_id);
  const duplicates = rounds.length - new Set(rounds).size;
  tally(context, { rowsChecked: rounds.length, duplicateRounds: duplicates });
  expect(run).toMatchObject({ status: "completed", end_reason: "end", rounds: 5 });
  expect(rounds).toEqual([0, 1, 2, 3, 4, 5]);
  return run;
}

describe("a five-round workflow run killed at every commit point", () => {
  it("completes every round exactly once after the daemon is killed after each commit of the run", async (context) => {
    const fault: CommitFault = {
      process: "daemon",
      arm: arm(),
      fired: firedFile(),
      db: "data/logs\\.db$",
      kill: "self",
    };
    let daemon: DaemonProcess = await startDaemonProcess(root, { fault });
    let points = 0;
    for (let k = 1; k <= MAX_COMMIT_POINTS; k += 1) {
      const fired = firedCount();
      const since = Date.now();
      writeFileSync(arm(), String(k));
      await launch();
      const outcome = await waitFor(
        () =>
          !daemon.alive
            ? "killed"
            : runsCreatedAfter(since).some((run) => run.status === "completed")
              ? "completed"
              : undefined,
        `the daemon to be killed after commit ${k} of the run, or the run to complete`,
        60_000,
      );
      if (outcome === "completed") {
        // The run made fewer than k commits: every commit point was covered.
        expect(firedCount()).toBe(fired);
        await completedRun(context, since, "the last run");
        break;
      }
      await waitForDeath(daemon, `the daemon killed after commit ${k}`);
      expect(firedCount()).toBe(fired + 1);
      points = k;
      tally(context, { faults: 1 });
      expect(integrityProblems(root)).toEqual([]);
      const committed = logTable(root);
      const atKill = runsCreatedAfter(since)[0]?.status ?? "not yet recorded";

      daemon = await startDaemonProcess(root, { fault });
      tally(context, { restarts: 1 });
      const run = await completedRun(
        context,
        since,
        `the run killed after commit ${k} to complete`,
      );
      // A run the kill left `started` was resumed once; one it had completed is left alone.
      expect({ k, atKill, resumes: run.resumes }).toEqual({
        k,
        atKill,
        resumes: atKill === "completed" ? 0 : 1,
      });
      const lost = lostRows(committed, root);
      tally(context, { rowsChecked: committed.length, rowsLost: lost.length });
      expect(lost).toEqual([]);
    }
    await stopDaemon(daemon);
    expect(integrityProblems(root)).toEqual([]);
    // A five-round run commits its record, its start and five rounds, each with its count.
    expect(points).toBeGreaterThanOrEqual(12);
  });

  it("completes every round exactly once after its worker is killed at each commit of the run", async (context) => {
    const fault: CommitFault = {
      process: "daemon",
      arm: arm(),
      fired: firedFile(),
      db: "data/logs\\.db$",
      kill: "child:workflow-worker",
    };
    let daemon = await startDaemonProcess(root, { fault });
    let kills = 0;
    for (let k = 1; k <= MAX_COMMIT_POINTS; k += 1) {
      if (kills > 0 && kills % WORKER_KILLS_PER_DAEMON === 0) {
        await stopDaemon(daemon);
        daemon = await startDaemonProcess(root, { fault });
        tally(context, { restarts: 1 });
      }
      const fired = firedCount();
      const since = Date.now();
      writeFileSync(arm(), String(k));
      await launch();
      const run = await completedRun(
        context,
        since,
        `the run whose worker was killed at commit ${k}`,
      );
      expect(daemon.alive).toBe(true);
      if (firedCount() === fired) {
        expect(run.resumes).toBe(0);
        break;
      }
      kills += 1;
      tally(context, { faults: 1, restarts: 1 });
      // Killed before the worker had the run, the run simply started on the respawned worker.
      expect(run.resumes).toBeLessThanOrEqual(1);
      const health = await healthOf(root);
      expect(health.workflows[0]).toMatchObject({ name: "five", disabled: false });
    }
    await stopDaemon(daemon);
    expect(integrityProblems(root)).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(10);
  });
});
