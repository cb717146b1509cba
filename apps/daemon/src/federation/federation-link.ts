import type * as JetStream from "@nats-io/jetstream";
import type { JetStreamManager } from "@nats-io/jetstream";
import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import type { CompiledFederation, FederationHealth, FederationNodeHealth } from "@nerve/core";
import type { SignalOutbox } from "@nerve/store";
import type { RunLaunch } from "../workflow/run-journal.js";
import type { LaunchResult } from "../workflow/workflow-launcher.js";
import type { RunQueue, RunQueueOptions } from "./run-queue.js";
import { SignalConsumer, type ConsumerOptions } from "./signal-consumer.js";
import { type SignalPublisher } from "./signal-publisher.js";
import {
  consumerName,
  DUPLICATE_WINDOW_NS,
  HEARTBEAT_MS,
  HEARTBEAT_SUBJECTS,
  heartbeatSubject,
  SIGNAL_MAX_AGE_NS,
  SIGNAL_STREAM,
  SIGNAL_SUBJECTS,
} from "./subjects.js";

/** Wait between two attempts to set up the stream and the consumer. */
const SETUP_RETRY_MS = 2_000;

/**
 * How long a consumer's ack may take before the broker delivers the message again. It is also
 * how long signals pulled by a daemon that died wait before its restart gets them again.
 */
const ACK_WAIT_NS = 10 * 1e9;

export interface LinkOptions extends Omit<ConsumerOptions, "node"> {
  federation: CompiledFederation;
  outbox: SignalOutbox;
  publisher: SignalPublisher;
  connect: () => Promise<NatsConnection>;
  now: () => number;
  runs: Omit<RunQueueOptions, "node" | "onError" | "now">;
}

/**
 * One session of the federation for one `federation` block: connects (retrying for ever in the
 * background), makes sure the signal stream and this node's durable consumer exist, then runs
 * the publisher, the consumer and the heartbeats, and follows the connection's ups and downs.
 *
 * `connecting` → `connected` ⇄ `disconnected` → (`close()`) closed.
 */
export class FederationLink {
  private state: FederationHealth["state"] = "connecting";
  private nc: NatsConnection | null = null;
  private consumer: SignalConsumer | null = null;
  private runQueue: RunQueue | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private heartbeats: Subscription | null = null;
  private readonly nodes = new Map<string, FederationNodeHealth>();
  private lag: number | null = null;
  private lastError: string | null = null;
  private closed = false;
  private readonly started: Promise<void>;

  constructor(private readonly options: LinkOptions) {
    this.started = this.run().catch((error: unknown) => this.fail(error));
  }

  health(): FederationHealth {
    const { federation, outbox } = this.options;
    return {
      node: federation.node,
      servers: federation.servers,
      state: this.state,
      connected: this.state === "connected",
      outbox: outbox.size(),
      lag: this.lag,
      publish: federation.publish,
      lastError: this.lastError,
      nodes: [...this.nodes.values()].sort((a, b) => a.node.localeCompare(b.node)),
    };
  }

  recordError(message: string): void {
    this.lastError = message;
  }

  /** Stops consuming and publishing and closes the connection; entries stay in the outbox. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    await this.options.publisher.stop();
    await this.consumer?.stop();
    await this.runQueue?.close();
    this.heartbeats?.unsubscribe();
    const nc = this.nc;
    if (nc !== null) await nc.close().catch(() => undefined);
    // The first connection may still be pending: it closes itself once made (see run()).
    await Promise.race([this.started, new Promise((resolve) => setTimeout(resolve, 100))]);
  }

  private async run(): Promise<void> {
    const nc = await this.options.connect();
    const { jetstream, jetstreamManager } = await loadJetStream();
    if (this.closed) {
      await nc.close();
      return;
    }
    this.nc = nc;
    this.watchStatus(nc);
    const durable = consumerName(this.options.federation.node);
    let jsm: JetStreamManager;
    // JetStream may be unavailable while the connection is up (a server without -js, a cluster
    // still electing its leader): try again until it answers.
    for (;;) {
      try {
        jsm = await jetstreamManager(nc);
        await this.ensureStream(jsm);
        await this.ensureConsumer(jsm, durable);
        break;
      } catch (error) {
        if (this.closed) return;
        this.fail(error);
        await new Promise((resolve) => setTimeout(resolve, SETUP_RETRY_MS));
        if (this.closed) return;
      }
    }
    this.state = "connected";
    const js = jetstream(nc);
    this.consumer = new SignalConsumer({ ...this.options, node: this.options.federation.node });
    await this.consumer.start(await js.consumers.get(SIGNAL_STREAM, durable));
    this.options.publisher.attach(js);
    this.startHeartbeats(nc, jsm, durable);
    const { node } = this.options.federation;
    const { onError, now } = this.options;
    // Loaded here, as the JetStream client it uses (see loadJetStream).
    const { RunQueue } = await import("./run-queue.js");
    const runQueue = new RunQueue(nc, jsm, { ...this.options.runs, node, onError, now });
    try {
      await runQueue.start();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.closed) await runQueue.close();
    else this.runQueue = runQueue;
  }

  /**
   * Queues a run of a `placement: cluster` workflow on the cluster; null while the broker is
   * not connected (the run then starts on this daemon).
   */
  async enqueue(workflow: string, launch: RunLaunch): Promise<LaunchResult | null> {
    if (this.state !== "connected" || this.runQueue === null) return null;
    return this.runQueue.enqueue(workflow, launch);
  }

  private async ensureStream(jsm: JetStreamManager): Promise<void> {
    const { RetentionPolicy, StorageType } = await loadJetStream();
    try {
      await jsm.streams.info(SIGNAL_STREAM);
    } catch {
      await jsm.streams.add({
        name: SIGNAL_STREAM,
        subjects: [SIGNAL_SUBJECTS],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: SIGNAL_MAX_AGE_NS,
        duplicate_window: DUPLICATE_WINDOW_NS,
      });
    }
  }

  private async ensureConsumer(jsm: JetStreamManager, durable: string): Promise<void> {
    const { AckPolicy, DeliverPolicy } = await loadJetStream();
    try {
      await jsm.consumers.info(SIGNAL_STREAM, durable);
    } catch {
      // From now on: a node that joins does not replay the stream's history.
      await jsm.consumers.add(SIGNAL_STREAM, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        filter_subject: SIGNAL_SUBJECTS,
        ack_wait: ACK_WAIT_NS,
        max_ack_pending: 10_000,
      });
    }
  }

  private watchStatus(nc: NatsConnection): void {
    void (async () => {
      for await (const status of nc.status()) {
        if (this.closed) return;
        if (status.type === "disconnect") {
          this.state = "disconnected";
          this.options.publisher.detach();
        } else if (status.type === "reconnect" && this.consumer !== null) {
          this.state = "connected";
          void this.resume(nc);
        } else if (status.type === "error") {
          this.lastError = String(status.error);
        }
      }
    })().catch(() => undefined);
  }

  /**
   * After a reconnect: a broker that lost its store has neither the stream nor this node's
   * consumer, so both are made again (cheap lookups otherwise) before publishing resumes. The
   * consumer's pull loop finds its consumer again by itself.
   */
  private async resume(nc: NatsConnection): Promise<void> {
    const { jetstream, jetstreamManager } = await loadJetStream();
    try {
      const jsm = await jetstreamManager(nc);
      await this.ensureStream(jsm);
      await this.ensureConsumer(jsm, consumerName(this.options.federation.node));
    } catch (error) {
      this.fail(error);
    }
    if (!this.closed) this.options.publisher.attach(jetstream(nc));
  }

  private startHeartbeats(nc: NatsConnection, jsm: JetStreamManager, durable: string): void {
    const { federation, outbox, now } = this.options;
    this.heartbeats = nc.subscribe(HEARTBEAT_SUBJECTS, {
      callback: (error, msg) => {
        if (error !== null) return;
        const node = msg.subject.slice(HEARTBEAT_SUBJECTS.length - 1);
        if (node === federation.node) return;
        let beat: { outbox?: unknown } = {};
        try {
          beat = msg.json();
        } catch {
          // A heartbeat that is not JSON still says the node is alive.
        }
        const size = typeof beat.outbox === "number" ? beat.outbox : 0;
        this.nodes.set(node, { node, lastSeenAt: now(), outbox: size });
      },
    });
    const beat = (): void => {
      if (this.state !== "connected") return;
      nc.publish(
        heartbeatSubject(federation.node),
        JSON.stringify({ ts: now(), outbox: outbox.size() }),
      );
      jsm.consumers
        .info(SIGNAL_STREAM, durable)
        .then((info) => {
          this.lag = info.num_pending + info.num_ack_pending;
        })
        .catch(() => undefined);
    };
    beat();
    this.heartbeat = setInterval(beat, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.options.onError(
      "the federation could not start",
      error instanceof Error ? error : undefined,
    );
  }
}

/**
 * The JetStream client, loaded when a federation first connects: a daemon without a
 * `federation:` block never loads the NATS libraries (memory, start-up).
 */
function loadJetStream(): Promise<typeof JetStream> {
  return import("@nats-io/jetstream");
}
