import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  RetentionPolicy,
  StorageType,
  type Consumer,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { ClusterRunView } from "@nerve/core";
import type { WorkflowRunRecord } from "@nerve/store";
import { newRunId } from "@nerve/store/reader";
import type { RunLaunch } from "../workflow/run-journal.js";
import type { LaunchResult } from "../workflow/workflow-launcher.js";
import type { ClusterRuns } from "../workflow/cluster-placement.js";
import { DUPLICATE_WINDOW_NS } from "./subjects.js";
import {
  decodeJob,
  isFinalEntry,
  queuedEntry,
  RUN_INDEX_BUCKET,
  RUN_INDEX_TTL_MS,
  RUN_STREAM,
  RUN_SUBJECTS,
  runConsumerName,
  runSubject,
  type RunJob,
} from "./run-index.js";

/** How long the broker waits for a taken run's ack (or a heartbeat) before another daemon gets it. */
export const RUN_ACK_WAIT_MS = 10_000;
/** Heartbeats (`working`) on the runs this daemon holds, and the sweep of parked runs. */
const TICK_MS = 3_000;
/** A run delivered this many times (each time a daemon stopped or died under it) ends crashed. */
export const RUN_MAX_DELIVERIES = 5;
/** One fetch waits at most this long for runs. */
const FETCH_EXPIRES_MS = 2_000;
const PUBLISH_TIMEOUT_MS = 5_000;
const RETRY_MS = 1_000;

export interface RunQueueOptions {
  node: string;
  manager: Pick<ClusterRuns, "freeSlots" | "take" | "onRunEnded" | "parkedRuns" | "releaseParked">;
  /** Workflows declared here with `placement: cluster` (read at each tick: follows reloads). */
  clusterWorkflows: () => string[];
  onError: (message: string, error?: Error) => void;
  now: () => number;
}

interface Held {
  msg: JsMsg;
  entry: ClusterRunView;
}

/**
 * Runs of `placement: cluster` workflows over the broker (see docs/FEDERATION.md): a launch is
 * queued on the work-queue stream NERVE_RUNS, and every daemon that declares the workflow pulls
 * from one shared durable consumer, only as many runs as it has free slots. A daemon holds a
 * run's message unacknowledged while it runs it, with a heartbeat every few seconds, and acks it
 * once the run's end is in the run index: a daemon that dies leaves the message to be delivered
 * again, after the ack wait, to whichever daemon pulls next. The KV bucket `nerve-runs` is the
 * cluster's run index: who launched each run, who runs it, its status.
 */
export class RunQueue {
  private readonly js: JetStreamClient;
  private kv: KV | null = null;
  private readonly held = new Map<string, Held>();
  private readonly loops = new Map<string, Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  private tick: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly options: RunQueueOptions,
  ) {
    this.js = jetstream(nc);
  }

  /** Makes sure the stream and the index exist, then starts pulling and heartbeats. */
  async start(): Promise<void> {
    await this.ensureStream();
    this.kv = await new Kvm(this.js).create(RUN_INDEX_BUCKET, {
      history: 1,
      ttl: RUN_INDEX_TTL_MS,
    });
    this.unsubscribe = this.options.manager.onRunEnded((record) => this.ended(record));
    this.tick = setInterval(() => this.onTick(), TICK_MS);
    this.tick.unref();
    this.sync();
  }

  /** Stops pulling; runs in flight keep their messages unacknowledged (taken over after the ack wait). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.tick !== null) clearInterval(this.tick);
    this.unsubscribe?.();
    for (const wake of this.sleepers) wake();
    const loops = Promise.all(this.loops.values());
    await Promise.race([loops, new Promise((resolve) => setTimeout(resolve, 100))]);
  }

  /**
   * Queues a run: its index entry first (so a taker's update comes after it), then the message,
   * whose id is the run id. Null when the broker does not take it: the run then starts here.
   */
  async enqueue(workflow: string, launch: RunLaunch): Promise<LaunchResult | null> {
    const kv = this.kv;
    if (kv === null || this.closed) return null;
    const now = this.options.now();
    const job: RunJob = {
      runId: newRunId(now),
      workflow,
      origin: this.options.node,
      prompt: launch.prompt,
      payload: launch.payload,
      maxRounds: launch.maxRounds,
      source: launch.source,
      causeId: launch.causeId,
      createdAt: now,
    };
    try {
      await kv.put(job.runId, JSON.stringify(queuedEntry(job)));
      await this.js.publish(runSubject(workflow), JSON.stringify(job), {
        msgID: job.runId,
        timeout: PUBLISH_TIMEOUT_MS,
      });
    } catch (error) {
      this.options.onError(
        `run of ${workflow} could not be queued on the cluster; it runs here`,
        asError(error),
      );
      await kv.delete(job.runId).catch(() => undefined);
      return null;
    }
    return { runId: job.runId, status: "queued" };
  }

  /** Starts a pull loop for each cluster workflow that has none. */
  private sync(): void {
    if (this.closed) return;
    for (const workflow of this.options.clusterWorkflows()) {
      if (this.loops.has(workflow)) continue;
      const loop = this.pull(workflow).finally(() => this.loops.delete(workflow));
      this.loops.set(workflow, loop);
    }
  }

  private async pull(workflow: string): Promise<void> {
    const { manager, clusterWorkflows } = this.options;
    let consumer: Consumer | null = null;
    while (!this.closed && clusterWorkflows().includes(workflow)) {
      try {
        consumer ??= await this.ensureConsumer(workflow);
        const free = manager.freeSlots(workflow);
        if (free <= 0) {
          await this.sleep(RETRY_MS);
          continue;
        }
        const batch = await consumer.fetch({ max_messages: free, expires: FETCH_EXPIRES_MS });
        for await (const msg of batch) {
          if (this.closed) {
            msg.nak();
            continue;
          }
          await this.handle(workflow, msg);
        }
      } catch (error) {
        if (this.closed) return;
        consumer = null;
        this.options.onError(`pulling runs of ${workflow} failed`, asError(error));
        await this.sleep(RETRY_MS);
      }
    }
  }

  private async handle(workflow: string, msg: JsMsg): Promise<void> {
    const { node, manager, now, onError } = this.options;
    const kv = this.kv;
    const job = decodeJob(msg.string());
    if (kv === null || job === null || job.workflow !== workflow) {
      onError(`a message on ${msg.subject} is not a run of ${workflow}; it is dropped`);
      msg.term();
      return;
    }
    const stored = await kv.get(job.runId);
    const entry: ClusterRunView =
      stored === null || stored.operation !== "PUT" ? queuedEntry(job) : stored.json();
    if (isFinalEntry(entry)) {
      // It ended, and the daemon that ran it stopped before its ack.
      msg.ack();
      return;
    }
    if (msg.info.deliveryCount > RUN_MAX_DELIVERIES) {
      const error = `the run was taken ${RUN_MAX_DELIVERIES} times by daemons that stopped or died under it`;
      await this.record({ ...entry, status: "crashed", endedAt: now(), error });
      msg.term();
      return;
    }
    const started: ClusterRunView = { ...entry, status: "started", node, startedAt: now() };
    this.held.set(job.runId, { msg, entry: started });
    await this.record(started);
    try {
      manager.take({
        runId: job.runId,
        workflow,
        prompt: job.prompt,
        payload: job.payload,
        payloadJson: JSON.stringify(job.payload ?? null),
        maxRounds: job.maxRounds,
        source: job.origin === node ? job.source : `node:${job.origin}/${job.source}`,
        causeId: job.causeId,
      });
    } catch (error) {
      this.held.delete(job.runId);
      onError(`run ${job.runId} of ${workflow} could not start here`, asError(error));
      msg.nak(RETRY_MS);
    }
  }

  /** A run ended here: if it came from the queue, its end goes to the index, then the ack. */
  private ended(record: WorkflowRunRecord): void {
    const held = this.held.get(record.runId);
    if (held === undefined) return;
    this.held.delete(record.runId);
    const entry: ClusterRunView = {
      ...held.entry,
      status: record.status,
      rounds: record.rounds,
      startedAt: record.startedAt ?? held.entry.startedAt,
      endedAt: record.endedAt ?? this.options.now(),
      endReason: record.endReason,
      error: record.error,
    };
    void this.record(entry).finally(() => {
      held.msg.ack();
      for (const wake of this.sleepers) wake();
    });
  }

  private onTick(): void {
    for (const { msg } of this.held.values()) msg.working();
    this.sync();
    void this.sweepParked();
  }

  /**
   * Runs a previous daemon here left `started` wait for their message to come back; once the
   * index says another daemon took one (or it ended), its record here ends `interrupted`.
   */
  private async sweepParked(): Promise<void> {
    const kv = this.kv;
    if (kv === null) return;
    for (const runId of this.options.manager.parkedRuns()) {
      try {
        const stored = await kv.get(runId);
        const entry =
          stored === null || stored.operation !== "PUT" ? null : stored.json<ClusterRunView>();
        if (entry === null) {
          this.options.manager.releaseParked(runId, "the cluster's run index no longer has it");
        } else if (entry.node !== this.options.node || isFinalEntry(entry)) {
          const by = entry.node === null ? "the cluster" : `node ${entry.node}`;
          this.options.manager.releaseParked(runId, `taken over by ${by} (${entry.status})`);
        }
      } catch {
        return; // the broker is away: next tick
      }
    }
  }

  private async record(entry: ClusterRunView): Promise<void> {
    try {
      await this.kv?.put(entry.runId, JSON.stringify(entry));
    } catch (error) {
      this.options.onError(`the run index could not record run ${entry.runId}`, asError(error));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async ensureStream(): Promise<void> {
    try {
      await this.jsm.streams.info(RUN_STREAM);
    } catch {
      await this.jsm.streams.add({
        name: RUN_STREAM,
        subjects: [RUN_SUBJECTS],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        duplicate_window: DUPLICATE_WINDOW_NS,
      });
    }
  }

  private async ensureConsumer(workflow: string): Promise<Consumer> {
    const durable = runConsumerName(workflow);
    try {
      await this.jsm.consumers.info(RUN_STREAM, durable);
    } catch {
      await this.ensureStream();
      await this.jsm.consumers.add(RUN_STREAM, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        filter_subject: runSubject(workflow),
        ack_wait: RUN_ACK_WAIT_MS * 1e6,
      });
    }
    return this.js.consumers.get(RUN_STREAM, durable);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
