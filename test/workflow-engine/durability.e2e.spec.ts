import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killFromPidFile, logRows, startDaemon, stopDaemon } from "../support/daemon.js";
import { waitFor } from "../support/workspace.js";
import {
  committedRounds,
  DEFINITIONS,
  engineWorkspace,
  health,
  runOf,
  trigger,
  waitForRound,
  waitForStatus,
  workflowPid,
} from "./support.js";

let root: string;
let cleanup: (() => void) | null = null;

afterEach(async () => {
  if (root) await stopDaemon(root);
  cleanup?.();
  cleanup = null;
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("workflow durability in a real daemon", () => {
  it("resumes a run after kill -9 of its worker, persisting each round exactly once", async () => {
    ({ root, cleanup } = engineWorkspace("workflows:\n  gate: {}\n", { gate: DEFINITIONS.gated }));
    await startDaemon(root);
    const release = join(root, "release");
    const { runId } = await trigger(root, "gate", { payload: { release } });
    await waitForRound(root, runId, 1);
    const pid = await workflowPid(root, "gate");
    process.kill(pid, "SIGKILL");

    await waitFor(() => logRows(root, { refId: runId, type: "workflow.resumed" })[0], "the resume");
    const respawned = await workflowPid(root, "gate", pid);
    expect(respawned).not.toBe(pid);
    writeFileSync(release, "");
    const run = await waitForStatus(root, runId, "completed");
    expect(run).toMatchObject({ status: "completed", endReason: "end", rounds: 2, resumes: 1 });
    expect(committedRounds(root, runId)).toEqual([0, 1, 2]);
    const crashed = logRows(root, { refId: runId, type: "workflow.crashed" });
    expect(crashed).toHaveLength(1);
    expect(crashed[0].payload).toMatchObject({ final: false });
    expect(String((crashed[0].payload as { error: string }).error)).toMatch(/killed by SIGKILL/);
    expect(logRows(root, { source: "daemon", type: "worker.exit" })).toContainEqual(
      expect.objectContaining({
        payload: expect.objectContaining({ workflow: "gate", pid, reason: "exited" }),
      }),
    );
  });

  it("completes a run on the next daemon start after kill -9 of the daemon", async () => {
    ({ root, cleanup } = engineWorkspace("workflows:\n  gate: {}\n", { gate: DEFINITIONS.gated }));
    const daemonPid = await startDaemon(root);
    const release = join(root, "release");
    const { runId } = await trigger(root, "gate", { payload: { release } });
    await waitForRound(root, runId, 1);
    const workerPid = await workflowPid(root, "gate");
    killFromPidFile(root);
    await waitFor(
      () => !isAlive(daemonPid) && !isAlive(workerPid),
      "the daemon and its worker to be gone",
    );
    expect(runOf(root, runId)?.status).toBe("started");

    await startDaemon(root);
    await waitFor(() => logRows(root, { refId: runId, type: "workflow.resumed" })[0], "the resume");
    writeFileSync(release, "");
    const run = await waitForStatus(root, runId, "completed");
    expect(run).toMatchObject({ rounds: 2, resumes: 1 });
    expect(committedRounds(root, runId)).toEqual([0, 1, 2]);
  });

  it("keeps a run started across a graceful restart and finishes it after", async () => {
    ({ root, cleanup } = engineWorkspace("workflows:\n  gate: {}\n", { gate: DEFINITIONS.gated }));
    await startDaemon(root);
    const release = join(root, "release");
    const { runId } = await trigger(root, "gate", { payload: { release } });
    await waitForRound(root, runId, 1);
    expect((await stopDaemon(root)).code).toBe(0);
    expect(runOf(root, runId)).toMatchObject({ status: "started", rounds: 1 });

    writeFileSync(release, "");
    await startDaemon(root);
    await waitForStatus(root, runId, "completed");
    expect(committedRounds(root, runId)).toEqual([0, 1, 2]);
  });

  it("stops respawning after five deaths within a minute until the files change", async () => {
    ({ root, cleanup } = engineWorkspace("workflows:\n  risky:\n    concurrency: 1\n", {
      risky: DEFINITIONS.poison,
    }));
    await startDaemon(root);
    const poison = join(root, "poison");
    writeFileSync(poison, "");
    const first = await trigger(root, "risky", { payload: { poison } });
    const second = await trigger(root, "risky", { payload: { poison } });
    // The first run dies with its worker four times (three resumes), the second once more.
    const crashed = await waitForStatus(root, first.runId, "crashed", 30_000);
    expect(crashed.error).toMatch(/resumed 3 times already/);
    await waitForStatus(root, second.runId, "crashed", 30_000);
    await waitFor(
      async () => (await health(root)).workflows[0].disabled,
      "the workflow to be disabled",
    );
    const exits = logRows(root, { source: "daemon", type: "worker.exit" });
    expect(exits.at(-1)?.payload).toMatchObject({ workflow: "risky", disabled: true });

    const waiting = await trigger(root, "risky", { payload: { poison } });
    expect(waiting.status).toBe("queued");
    expect((await health(root)).workflows[0]).toMatchObject({
      pid: null,
      queued: 1,
      disabled: true,
    });

    // Fixing the files re-enables it; the queued run starts on the new worker.
    rmSync(poison);
    writeFileSync(join(root, "workflows/risky/index.ts"), `${DEFINITIONS.poison}\n// fixed\n`);
    const run = await waitForStatus(root, waiting.runId, "completed");
    expect(run.rounds).toBe(1);
    expect((await health(root)).workflows[0].disabled).toBe(false);
  }, 60_000);

  it("interrupts the old worker's runs 10 s after a hot reload while the new code takes new runs", async () => {
    ({ root, cleanup } = engineWorkspace("workflows:\n  gate:\n    concurrency: 2\n", {
      gate: DEFINITIONS.gated,
    }));
    await startDaemon(root);
    const never = join(root, "never");
    const release = join(root, "release");
    const old = await trigger(root, "gate", { payload: { release: never } });
    await waitForRound(root, old.runId, 1);
    const oldPid = await workflowPid(root, "gate");

    writeFileSync(
      join(root, "workflows/gate/index.ts"),
      DEFINITIONS.gated.replace('const VERSION = "v1"', 'const VERSION = "v2"'),
    );
    await workflowPid(root, "gate", oldPid);
    writeFileSync(release, "");
    const fresh = await trigger(root, "gate", { payload: { release } });
    await waitForStatus(root, fresh.runId, "completed");
    const contents = logRows(root, { refId: fresh.runId, type: "workflow.message" }).map(
      (row) => (row.payload as { content?: unknown }).content,
    );
    expect(contents.slice(1)).toEqual(["v2 step", "v2 released"]);

    const interrupted = await waitForStatus(root, old.runId, "interrupted", 25_000);
    expect(interrupted.error).toMatch(/did not finish the run within 10000 ms/);
    await waitFor(() => !isAlive(oldPid), "the old worker to be stopped");
    expect(committedRounds(root, old.runId)).toEqual([0, 1]);
  }, 60_000);
});
