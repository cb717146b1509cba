import { jetstream, jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { ClusterRunView, RunStatus } from "@nerve/core";
import type { WorkflowRunRecord } from "@nerve/store";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  RUN_INDEX_BUCKET,
  RUN_STREAM,
  runSubject,
  type RunJob,
} from "../../apps/daemon/src/federation/run-index.js";
import { RUN_MAX_DELIVERIES, RunQueue } from "../../apps/daemon/src/federation/run-queue.js";
import type { ClusterRunLaunch } from "../../apps/daemon/src/workflow/cluster-placement.js";
import type { RunLaunch } from "../../apps/daemon/src/workflow/run-journal.js";
import { natsServerAvailable, startNatsServer, type NatsServer } from "../support/nats-server.js";

type Taken = ClusterRunLaunch & { workflow: string };

/**
 * The daemon side of a RunQueue, played by the spec: how many slots are free, which runs were
 * taken, which runs ended, which are parked.
 */
class Daemon {
  free = 1;
  readonly taken: Taken[] = [];
  readonly released: { runId: string; reason: string }[] = [];
  parked: string[] = [];
  /** Throws from take() while set, as a daemon that cannot start the run. */
  refuse: string | null = null;
  private readonly listeners = new Set<(record: WorkflowRunRecord) => void>();

  freeSlots(): number {
    return this.free;
  }

  take(launch: Taken): void {
    if (this.refuse !== null) throw new Error(this.refuse);
    this.free -= 1;
    this.taken.push(launch);
  }

  onRunEnded(listener: (record: WorkflowRunRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  parkedRuns(): string[] {
    return this.parked;
  }

  releaseParked(runId: string, reason: string): void {
    this.parked = this.parked.filter((id) => id !== runId);
    this.released.push({ runId, reason });
  }

  /** A run taken here ends with `status`, as the workflow engine reports it. */
  end(runId: string, status: RunStatus = "completed"): void {
    const taken = this.taken.find((run) => run.runId === runId);
    if (taken === undefined) throw new Error(`run ${runId} was not taken here`);
    this.free += 1;
    const record = {
      runId,
      workflow: taken.workflow,
      status,
      rounds: 2,
      startedAt: 1_000,
      endedAt: 2_000,
      endReason: status === "completed" ? "end" : null,
      error: null,
    } as unknown as WorkflowRunRecord;
    for (const listener of this.listeners) listener(record);
  }
}

function launchOf(overrides: Partial<RunLaunch> = {}): RunLaunch {
  return {
    prompt: "clean /var",
    payload: { disk: "/var" },
    payloadJson: '{"disk":"/var"}',
    maxRounds: 4,
    source: "cli",
    causeId: null,
    ...overrides,
  };
}

describe.skipIf(!natsServerAvailable)("RunQueue over a real nats-server", () => {
  let broker: NatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let kv: KV | null = null;
  const queues: RunQueue[] = [];
  const errors: string[] = [];
  let workflowSeq = 0;

  beforeAll(async () => {
    broker = await startNatsServer();
    nc = await connect({ servers: broker.url });
    jsm = await jetstreamManager(nc);
  });

  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.close();
    errors.length = 0;
  });

  afterAll(async () => {
    await nc?.close();
    await broker?.stop();
  });

  /** A queue for node `node` that declares `workflows` with cluster placement. */
  async function queueOf(node: string, daemon: Daemon, workflows: string[]): Promise<RunQueue> {
    const queue = new RunQueue(nc, jsm, {
      node,
      manager: daemon,
      clusterWorkflows: () => workflows,
      onError: (message, error) => errors.push(error ? `${message}: ${error.message}` : message),
      now: () => Date.now(),
    });
    queues.push(queue);
    await queue.start();
    return queue;
  }

  /** A workflow name no earlier test used: each test gets its own consumer. */
  function freshWorkflow(): string {
    workflowSeq += 1;
    return `job${workflowSeq}`;
  }

  /** The run index, once a queue has made it. */
  async function index(): Promise<KV> {
    kv ??= await new Kvm(jetstream(nc)).open(RUN_INDEX_BUCKET);
    return kv;
  }

  async function entry(runId: string): Promise<ClusterRunView | null> {
    const stored = await (await index()).get(runId);
    return stored === null || stored.operation !== "PUT" ? null : stored.json<ClusterRunView>();
  }

  async function waiting(workflow: string): Promise<number> {
    const info = await jsm.streams.info(RUN_STREAM, { subjects_filter: runSubject(workflow) });
    return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
  }

  it("queues a run in the index and the stream; a daemon that declares it takes it, records its end, then acks", async () => {
    const workflow = freshWorkflow();
    const origin = new Daemon();
    origin.free = 0;
    const taker = new Daemon();
    const a = await queueOf("a", origin, []);
    const queued = await a.enqueue(workflow, launchOf());
    expect(queued).toMatchObject({ status: "queued" });
    const runId = queued!.runId;
    expect(await entry(runId)).toMatchObject({
      runId,
      workflow,
      status: "queued",
      node: null,
      origin: "a",
      prompt: "clean /var",
      maxRounds: 4,
      source: "cli",
    });
    expect(await waiting(workflow)).toBe(1);

    await queueOf("b", taker, [workflow]);
    await expect.poll(() => taker.taken.length, { timeout: 10_000 }).toBe(1);
    // Taken under the id its launcher gave it, with the launcher named in its source.
    expect(taker.taken[0]).toMatchObject({
      runId,
      workflow,
      prompt: "clean /var",
      payload: { disk: "/var" },
      payloadJson: '{"disk":"/var"}',
      maxRounds: 4,
      source: "node:a/cli",
      causeId: null,
    });
    expect(await entry(runId)).toMatchObject({ status: "started", node: "b", origin: "a" });
    // Held, not acked, while it runs.
    expect(await waiting(workflow)).toBe(1);

    taker.end(runId);
    await expect.poll(() => waiting(workflow), { timeout: 10_000 }).toBe(0);
    expect(await entry(runId)).toMatchObject({
      status: "completed",
      node: "b",
      rounds: 2,
      endedAt: 2_000,
      endReason: "end",
    });
    expect(errors).toEqual([]);
  });

  it("keeps the launcher's own source when the launcher takes the run", async () => {
    const workflow = freshWorkflow();
    const daemon = new Daemon();
    const a = await queueOf("a", daemon, [workflow]);
    const queued = await a.enqueue(workflow, launchOf({ source: "sense:disk", causeId: "sig-1" }));
    await expect.poll(() => daemon.taken.length, { timeout: 10_000 }).toBe(1);
    expect(daemon.taken[0]).toMatchObject({
      runId: queued!.runId,
      source: "sense:disk",
      causeId: "sig-1",
    });
  });

  it("takes no more runs than the daemon has free slots", async () => {
    const workflow = freshWorkflow();
    const daemon = new Daemon();
    daemon.free = 2;
    const a = await queueOf("a", daemon, [workflow]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await a.enqueue(workflow, launchOf()))!.runId);
    await expect.poll(() => daemon.taken.length, { timeout: 10_000 }).toBe(2);
    // Oldest first; the rest wait in the stream, `queued` in the index.
    expect(daemon.taken.map((run) => run.runId)).toEqual(ids.slice(0, 2));
    expect(await entry(ids[2])).toMatchObject({ status: "queued", node: null });

    daemon.end(ids[0]);
    await expect.poll(() => daemon.taken.length, { timeout: 10_000 }).toBe(3);
    expect(daemon.taken[2].runId).toBe(ids[2]);
    await expect.poll(() => waiting(workflow), { timeout: 10_000 }).toBe(4);
  });

  it("hands each run to exactly one of the daemons that share the workflow", async () => {
    const workflow = freshWorkflow();
    const one = new Daemon();
    const two = new Daemon();
    one.free = 3;
    two.free = 3;
    const launcher = await queueOf("a", one, [workflow]);
    await queueOf("b", two, [workflow]);
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await launcher.enqueue(workflow, launchOf()))!.runId);
    await expect.poll(() => one.taken.length + two.taken.length, { timeout: 10_000 }).toBe(6);
    const taken = [...one.taken, ...two.taken].map((run) => run.runId);
    expect([...taken].sort()).toEqual([...ids].sort());
    for (const run of one.taken) expect(await entry(run.runId)).toMatchObject({ node: "a" });
    for (const run of two.taken) expect(await entry(run.runId)).toMatchObject({ node: "b" });
  });

  it("acks without taking a run whose index entry has already ended", async () => {
    const workflow = freshWorkflow();
    const js = jetstream(nc);
    const a = await queueOf("a", new Daemon(), []);
    // Queued once so the stream exists, then a run whose end is in the index already: the
    // daemon that ran it stopped between the index write and the ack.
    const job: RunJob = {
      runId: "run-ended",
      workflow,
      origin: "a",
      prompt: "",
      payload: null,
      maxRounds: 2,
      source: "cli",
      causeId: null,
      createdAt: 1,
    };
    expect(await a.enqueue(workflow, launchOf())).not.toBeNull();
    await (
      await index()
    ).put(job.runId, JSON.stringify({ runId: job.runId, status: "completed", node: "c" }));
    await js.publish(runSubject(workflow), JSON.stringify(job), { msgID: job.runId });

    const daemon = new Daemon();
    daemon.free = 5;
    await queueOf("b", daemon, [workflow]);
    await expect.poll(() => daemon.taken.length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => waiting(workflow), { timeout: 10_000 }).toBe(1);
    expect(daemon.taken.map((run) => run.runId)).not.toContain("run-ended");
    expect(await entry("run-ended")).toMatchObject({ status: "completed", node: "c" });
  });

  it(`offers a run that could not start again, and records it crashed after ${RUN_MAX_DELIVERIES} deliveries`, async () => {
    const workflow = freshWorkflow();
    const daemon = new Daemon();
    daemon.refuse = "no worker";
    const a = await queueOf("a", daemon, [workflow]);
    const { runId } = (await a.enqueue(workflow, launchOf()))!;
    // Each refusal is a nak with a 1 s delay: the sixth delivery ends it.
    await expect
      .poll(async () => (await entry(runId))?.status, { timeout: 20_000, interval: 250 })
      .toBe("crashed");
    expect((await entry(runId))?.error).toContain(`taken ${RUN_MAX_DELIVERIES} times`);
    expect(await waiting(workflow)).toBe(0);
    expect(
      errors.filter((e) => e.includes(`run ${runId} of ${workflow} could not start here`)),
    ).toHaveLength(RUN_MAX_DELIVERIES);
  }, 30_000);

  it("releases a parked run once the index names another daemon", async () => {
    const workflow = freshWorkflow();
    const daemon = new Daemon();
    await (
      await index()
    ).put(
      "run-elsewhere",
      JSON.stringify({ runId: "run-elsewhere", status: "started", node: "c" }),
    );
    await (
      await index()
    ).put("run-mine", JSON.stringify({ runId: "run-mine", status: "started", node: "a" }));
    daemon.parked = ["run-elsewhere", "run-mine", "run-gone"];
    await queueOf("a", daemon, [workflow]);
    // The sweep runs with the heartbeat tick (every 3 s).
    await expect.poll(() => daemon.released.length, { timeout: 10_000 }).toBe(2);
    expect(daemon.released).toEqual([
      { runId: "run-elsewhere", reason: "taken over by node c (started)" },
      { runId: "run-gone", reason: "the cluster's run index no longer has it" },
    ]);
    // Still this node's in the index: it waits for its message to come back here.
    expect(daemon.parked).toEqual(["run-mine"]);
  });

  it("queues nothing once closed: the run starts on the launching daemon", async () => {
    const a = await queueOf("a", new Daemon(), []);
    await a.close();
    expect(await a.enqueue(freshWorkflow(), launchOf())).toBeNull();
  });
});
