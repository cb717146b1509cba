import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterRunView, FederationHealth, HealthResult } from "@nerve/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";
import { killFromPidFile, logRows, startDaemon, stopDaemon } from "../support/daemon.js";
import { natsServerAvailable, startNatsServer, type NatsServer } from "../support/nats-server.js";
import { makeWorkspace, waitFor } from "../support/workspace.js";

const WAIT = 60_000;
const NODES = ["n1", "n2", "n3"] as const;

// One round: `work` waits while the hold file exists, then says which daemon ran it.
const definition = (hold: string): string => `import { existsSync } from "node:fs";
import { END } from "@nerve/core";
export default {
  roles: {
    work: async () => {
      while (existsSync(${JSON.stringify(hold)})) await new Promise((r) => setTimeout(r, 50));
      return { ppid: process.ppid };
    },
  },
  moderator: ({ round }: { round: number }) => (round === 1 ? "work" : END),
};
`;

function workspace(hold: string, federation: string[]): { root: string; cleanup: () => void } {
  return makeWorkspace({
    "nerve.yaml": [
      "workflows:",
      "  job:",
      "    placement: cluster",
      "    concurrency: 2",
      ...federation,
      "",
    ].join("\n"),
    "workflows/job/index.ts": definition(hold),
  });
}

async function federation(root: string): Promise<FederationHealth | undefined> {
  const run = await nerve(["status", "--json", "--root", root]);
  if (run.code !== 0) return undefined;
  return (JSON.parse(run.stdout) as HealthResult).federation;
}

async function clusterRuns(root: string): Promise<ClusterRunView[]> {
  const run = await nerve([
    "workflow",
    "list",
    "--cluster",
    "--all",
    "--json",
    "--limit",
    "1000",
    "--root",
    root,
  ]);
  if (run.code !== 0) throw new Error(`workflow list --cluster failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ClusterRunView[];
}

async function trigger(root: string): Promise<{ runId: string; status: string }> {
  const run = await nerve(["workflow", "trigger", "job", "--json", "--root", root]);
  if (run.code !== 0) throw new Error(`trigger failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { runId: string; status: string };
}

/** `workflow.completed` rows of `runId` in a daemon's log. */
function completions(root: string, runId: string): number {
  return logRows(root, { refId: runId, type: "workflow.completed" }).length;
}

describe.skipIf(!natsServerAvailable)("placement: cluster over a real nats-server", () => {
  let broker: NatsServer;
  const shared = tempDir("nerve-hold-");
  const hold = join(shared.dir, "hold");
  const daemons = new Map<string, { root: string; cleanup: () => void }>();
  const rootOf = (node: string): string => daemons.get(node)!.root;

  beforeAll(async () => {
    broker = await startNatsServer();
    for (const node of NODES) {
      const ws = workspace(hold, ["federation:", `  servers: [${broker.url}]`, `  node: ${node}`]);
      daemons.set(node, ws);
      await startDaemon(ws.root);
    }
    for (const node of NODES) {
      await waitFor(
        async () => (await federation(rootOf(node)))?.connected,
        `${node} connected`,
        WAIT,
      );
    }
  }, 120_000);

  afterAll(async () => {
    for (const ws of daemons.values()) {
      await stopDaemon(ws.root);
      ws.cleanup();
    }
    await broker?.stop();
    shared.cleanup();
  });

  it("completes every run started on one daemon exactly once across the three", async () => {
    const launched: string[] = [];
    for (let i = 0; i < 12; i++) {
      const result = await trigger(rootOf("n1"));
      expect(result.status).toBe("queued");
      launched.push(result.runId);
    }
    const done = await waitFor(
      async () => {
        const runs = (await clusterRuns(rootOf("n2"))).filter((run) =>
          launched.includes(run.runId),
        );
        return runs.length === 12 && runs.every((run) => run.status === "completed")
          ? runs
          : undefined;
      },
      "the twelve runs to complete",
      WAIT,
    );
    for (const runId of launched) {
      const byNode = NODES.map((node) => completions(rootOf(node), runId));
      expect(byNode.reduce((a, b) => a + b, 0)).toBe(1);
      const ranOn = NODES[byNode.indexOf(1)];
      expect(done.find((run) => run.runId === runId)).toMatchObject({ node: ranOn, origin: "n1" });
    }
    // A run taken by another daemon says where it came from.
    const remote = done.find((run) => run.node !== "n1");
    if (remote !== undefined) {
      const [row] = logRows(rootOf(remote.node!), {
        refId: remote.runId,
        type: "workflow.started",
      });
      expect(row.source).toBe("workflow:job");
      const listed = await nerve([
        "workflow",
        "list",
        "--all",
        "--json",
        "--root",
        rootOf(remote.node!),
      ]);
      const local = (JSON.parse(listed.stdout) as { runId: string; source: string }[]).find(
        (run) => run.runId === remote.runId,
      );
      expect(local?.source).toBe("node:n1/cli");
    }
    const text = await nerve(["workflow", "list", "--cluster", "--all", "--root", rootOf("n3")]);
    expect(text.stdout).toContain("NODE");
    expect(text.stdout).toContain(launched[0]);
  }, 120_000);

  it("completes on another daemon a run whose daemon was killed with kill -9 mid-run", async () => {
    writeFileSync(hold, "");
    const { runId } = await trigger(rootOf("n1"));
    const taken = await waitFor(
      async () =>
        (await clusterRuns(rootOf("n1"))).find(
          (run) => run.runId === runId && run.status === "started",
        ),
      "the run to start somewhere",
      WAIT,
    );
    const victim = taken.node!;
    killFromPidFile(rootOf(victim));
    rmSync(hold);
    const done = await waitFor(
      async () => {
        const alive = NODES.find((node) => node !== victim)!;
        const run = (await clusterRuns(rootOf(alive))).find((r) => r.runId === runId);
        return run?.status === "completed" ? run : undefined;
      },
      "the run to complete on another daemon",
      WAIT,
    );
    expect(done.node).not.toBe(victim);
    expect(completions(rootOf(done.node!), runId)).toBe(1);
    expect(completions(rootOf(victim), runId)).toBe(0);

    // The killed daemon comes back: its record of the run ends, it does not run it again.
    await startDaemon(rootOf(victim));
    const ended = await waitFor(
      () => {
        const rows = logRows(rootOf(victim), { refId: runId, type: "workflow.interrupted" });
        return rows.length === 1 ? rows : undefined;
      },
      "the restarted daemon to let go of the run",
      WAIT,
    );
    expect(JSON.stringify(ended[0].payload)).toContain(`taken over by node ${done.node}`);
    expect(completions(rootOf(victim), runId)).toBe(0);
  }, 120_000);

  it("runs a cluster workflow locally on a daemon without a federation block", async () => {
    if (existsSync(hold)) rmSync(hold);
    const alone = workspace(hold, []);
    try {
      await startDaemon(alone.root);
      const result = await trigger(alone.root);
      expect(result.status).toBe("started");
      await waitFor(() => completions(alone.root, result.runId) === 1, "the local run", WAIT);
      const listed = await nerve(["workflow", "list", "--cluster", "--root", alone.root]);
      expect(listed.code).toBe(1);
      expect(listed.stderr).toContain("no federation block");
    } finally {
      await stopDaemon(alone.root);
      alone.cleanup();
    }
  }, 120_000);
});
