import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ClientUnix } from "@nerve/daemon/client";
import type { TriggerWorkflowResult } from "@nerve/core";
import { startDaemon, stopDaemon, waitForRows } from "../support/daemon.js";
import { allRuns, DEFINITIONS, engineWorkspace, health, waitForStatus } from "./support.js";

let root: string;
let cleanup: (() => void) | null = null;

afterEach(async () => {
  if (root) await stopDaemon(root);
  cleanup?.();
  cleanup = null;
});

/** `count` triggers sent at once on one connection, as a burst of launches arrives. */
async function burst(count: number, release: string): Promise<TriggerWorkflowResult[]> {
  const client = new ClientUnix({ root, timeoutMs: 20_000 });
  try {
    return await Promise.all(
      Array.from({ length: count }, (_, i) =>
        client.request("trigger-workflow", {
          workflow: "gate",
          prompt: `launch ${i}`,
          payload: { release },
        }),
      ),
    );
  } finally {
    await client.close();
  }
}

describe("workflow concurrency in a real daemon", () => {
  it("drops launches beyond concurrency with overflow drop", async () => {
    ({ root, cleanup } = engineWorkspace(
      "workflows:\n  gate:\n    concurrency: 2\n    overflow: drop\n",
      { gate: DEFINITIONS.gated },
    ));
    await startDaemon(root);
    const release = join(root, "release");
    const results = await burst(6, release);
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual(["dropped", "dropped", "dropped", "dropped", "started", "started"]);
    expect((await health(root)).workflows).toEqual([
      expect.objectContaining({ name: "gate", active: 2, queued: 0, disabled: false }),
    ]);
    const dropped = results.filter((result) => result.status === "dropped");
    for (const { runId } of dropped) {
      expect(
        (await waitForRows(root, { refId: runId, type: "workflow.dropped" }, 1))[0].payload,
      ).toMatchObject({
        reason: "concurrency",
      });
    }

    writeFileSync(release, "");
    for (const { runId } of results.filter((result) => result.status === "started")) {
      await waitForStatus(root, runId, "completed");
    }
    for (const { runId } of dropped) {
      expect(allRuns(root).find((run) => run.runId === runId)?.status).toBe("dropped");
    }
  });

  it("queues a burst and evicts the oldest queued runs when the queue is full", async () => {
    ({ root, cleanup } = engineWorkspace(
      "workflows:\n  gate:\n    concurrency: 1\n    overflow: queue\n    max_queue: 2\n",
      { gate: DEFINITIONS.gated },
    ));
    await startDaemon(root);
    const release = join(root, "release");
    const results = await burst(5, release);
    expect(results.map((result) => result.status).sort()).toEqual([
      "queued",
      "queued",
      "queued",
      "queued",
      "started",
    ]);
    // In creation order: the first runs, the next two were evicted by the last two.
    const runs = allRuns(root);
    expect(runs.map((run) => run.status)).toEqual([
      "started",
      "dropped",
      "dropped",
      "queued",
      "queued",
    ]);
    expect(
      (await waitForRows(root, { refId: runs[1].runId, type: "workflow.dropped" }, 1))[0].payload,
    ).toMatchObject({
      reason: "evicted",
      by: runs[3].runId,
    });
    expect((await health(root)).workflows[0]).toMatchObject({ active: 1, queued: 2 });

    writeFileSync(release, "");
    const [first, , , fourth, fifth] = runs;
    const ended = [];
    for (const run of [first, fourth, fifth])
      ended.push(await waitForStatus(root, run.runId, "completed"));
    // FIFO: each queued run started after the one before it ended.
    expect(ended[1].startedAt!).toBeGreaterThanOrEqual(ended[0].endedAt!);
    expect(ended[2].startedAt!).toBeGreaterThanOrEqual(ended[1].endedAt!);
    expect(ended[1].prompt).toBe(fourth.prompt);
  });
});
