// federation.cluster-runs: completed runs per second of a trivial `placement: cluster` workflow,
// beside the same workflow with `placement: local`, on one daemon in the same run.
//
// Setup: one nats-server (`-js`, free loopback port, temp store) and one daemon, the engine in
// this process (NerveModule.forRoot, as bench/workflow does) with a `federation` block and two
// workflows of the same one-round definition and `concurrency: 10`: `near` (local) and `far`
// (cluster). 10 launchers in a closed loop each launch a run and wait for its end. A local run:
// admission, start message and round committed, end. A cluster run adds the cluster's queue:
// index entry `queued` (KV put) and the start message published to NERVE_RUNS, fetched back by
// this daemon's pull loop, index entry `started`, the run as above, index entry with its end,
// then the ack. Its end is heard through the engine's cluster end listener. Rounds alternate.
import { performance } from "node:perf_hooks";

export const figures = ["federation.cluster-runs"];

const CONCURRENCY = 10;
const ONE_ROUND = `
const END = "__end__";
export default {
  roles: { worker: (ctx) => ({ seen: ctx.round }) },
  moderator: ({ round }) => (round === 1 ? "worker" : END),
};
`;

function launchRequest(workflow) {
  return { workflow, prompt: "bench", payload: { pct: 93 }, source: "cli", causeId: null };
}

/** Ends of cluster runs by run id, heard from the engine (they may come before the wait). */
function clusterEnds(manager) {
  const waiting = new Map();
  const ended = new Map();
  manager.cluster.onRunEnded((record) => {
    const resolve = waiting.get(record.runId);
    if (resolve === undefined) ended.set(record.runId, record);
    else {
      waiting.delete(record.runId);
      resolve(record);
    }
  });
  return (runId) => {
    const record = ended.get(runId);
    if (record !== undefined) {
      ended.delete(runId);
      return Promise.resolve(record);
    }
    return new Promise((resolve) => waiting.set(runId, resolve));
  };
}

/** Completed runs per second of `workflow`, `runs` in all, by CONCURRENCY closed-loop launchers. */
async function runsPerSecond(manager, whenClusterRunEnds, workflow, runs) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < runs) {
        next += 1;
        const { runId, status } = await manager.launch(launchRequest(workflow));
        const expected = workflow === "far" ? "queued" : "started";
        if (status !== expected) throw new Error(`a run of ${workflow} was ${status}`);
        const ended =
          workflow === "far" ? await whenClusterRunEnds(runId) : await manager.whenEnded(runId);
        if (ended?.status !== "completed") throw new Error(`run ${runId} ended ${ended?.status}`);
      }
    }),
  );
  return runs / ((performance.now() - start) / 1_000);
}

export default async function bench({ quick = false } = {}) {
  const { natsServerPath, skippedRows, startNatsServer } = await import("./lib/nats.mjs");
  const binary = natsServerPath();
  if (binary === null) return skippedRows(figures, () => "runs/s");
  const { startEngine } = await import("./lib/engine.mjs");
  const { median } = await import("./lib/measure.mjs");
  const { makeWorkspace } = await import("./lib/workspace.mjs");
  const { WorkflowManager } = await import("@nerve/daemon");
  const { FederationService } = await import("../apps/daemon/dist/federation/index.js");

  const rounds = quick ? 2 : 3;
  const perRound = quick ? 200 : 1_000;
  const broker = await startNatsServer(binary);
  const workspace = makeWorkspace("fed-runs", {
    "workflows/near/index.ts": ONE_ROUND,
    "workflows/far/index.ts": ONE_ROUND,
    "nerve.yaml": [
      "workflows:",
      "  near:",
      `    concurrency: ${CONCURRENCY}`,
      "  far:",
      `    concurrency: ${CONCURRENCY}`,
      "    placement: cluster",
      "federation:",
      `  servers: [${broker.url}]`,
      "  node: a",
      "",
    ].join("\n"),
  });
  let app = null;
  try {
    app = await startEngine(workspace.root);
    const federation = app.get(FederationService);
    const deadline = Date.now() + 60_000;
    while (!federation.health()?.connected) {
      if (Date.now() > deadline) throw new Error("the daemon did not connect to nats-server");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const manager = app.get(WorkflowManager);
    const whenClusterRunEnds = clusterEnds(manager);
    // The run queue starts its pull loop once connected: the first cluster runs wait for it.
    await runsPerSecond(manager, whenClusterRunEnds, "near", quick ? 100 : 300);
    await runsPerSecond(manager, whenClusterRunEnds, "far", quick ? 100 : 300);
    const local = [];
    const cluster = [];
    for (let round = 0; round < rounds; round += 1) {
      local.push(await runsPerSecond(manager, whenClusterRunEnds, "near", perRound));
      cluster.push(await runsPerSecond(manager, whenClusterRunEnds, "far", perRound));
    }
    const value = Math.round(median(cluster));
    const baselineValue = Math.round(median(local));
    return [
      {
        name: "federation.cluster-runs",
        value,
        unit: "runs/s",
        baseline: "the same workflow, placement: local",
        baselineValue,
        ratio: Math.round((value / baselineValue) * 1_000) / 1_000,
        target: null,
        pass: null,
        runsPerRound: perRound,
        rounds,
        launchers: CONCURRENCY,
        rates: cluster.map(Math.round),
        baselineRates: local.map(Math.round),
      },
    ];
  } finally {
    await app?.close();
    await broker.stop();
    workspace.remove();
  }
}
