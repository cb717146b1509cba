import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from "@nestjs/common";
import { OnEvent } from "@nestjs/event-emitter";
import { type CompiledConfig, type CompiledFederation, type FederationHealth } from "@nerve/core";
import { LogStore, SignalOutbox } from "@nerve/store";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents, type ConfigChangedEvent } from "../kernel/events.js";
import { SignalBus } from "../signal/signal-bus.js";
import { WorkflowManager } from "../workflow/workflow-manager.service.js";
import { BrokerConnector } from "./broker-connector.js";
import { FederationLink } from "./federation-link.js";
import { remoteListens } from "./remote-listens.js";
import { SignalPublisher } from "./signal-publisher.js";

const LOG_TAG = "federation";

interface Session {
  federation: CompiledFederation;
  outbox: SignalOutbox;
  publisher: SignalPublisher;
  link: FederationLink;
}

/**
 * Joins this daemon to a cluster of daemons over NATS JetStream when nerve.yaml has a
 * `federation` block: published signals go out through the durable outbox, remote signals that
 * reflexes here listen to come in through this node's durable consumer. Nothing here ever
 * blocks local work: the connection is made in the background, and while the broker is down
 * signals wait in the outbox. A reload that changes the block starts a new session.
 */
@Injectable()
export class FederationService
  implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown
{
  private session: Session | null = null;
  private stopping = false;
  /** Starts and stops one after the other, in the order asked. */
  private transitions: Promise<void> = Promise.resolve();

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService,
    @Inject(SignalBus) private readonly bus: SignalBus,
    @Inject(LogStore) private readonly logStore: LogStore,
    @Inject(DaemonLog) private readonly log: DaemonLog,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(BrokerConnector) private readonly connector: BrokerConnector,
    @Inject(WorkflowManager) private readonly workflows: WorkflowManager,
  ) {}

  onApplicationBootstrap(): void {
    this.apply(this.config.current.federation);
  }

  /**
   * First step of the way out: no more consuming or publishing (signals being committed are
   * acked first). The outbox stays open, so signals of the shutdown drain wait in it.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.transitions;
    await this.session?.link.close();
  }

  /** Last step, after the log's final flush: the outbox closes. */
  async onApplicationShutdown(): Promise<void> {
    this.apply(null);
    await this.transitions;
  }

  /** The link's state for `nerve status`, or null when the daemon works alone. */
  health(): FederationHealth | null {
    return this.session?.link.health() ?? null;
  }

  @OnEvent(KernelEvents.configChanged)
  onConfigChanged(event: ConfigChangedEvent): void {
    const before = JSON.stringify(event.previous.federation);
    if (JSON.stringify(event.next.federation) !== before) this.apply(event.next.federation);
  }

  private apply(federation: CompiledFederation | null): void {
    this.transitions = this.transitions
      .then(async () => {
        await this.close();
        if (federation !== null && !this.stopping) this.open(federation);
      })
      .catch((error: unknown) => this.report("the federation could not be (re)started", error));
  }

  private open(federation: CompiledFederation): void {
    const outbox = SignalOutbox.open(this.config.root);
    const dropped = this.recover(outbox);
    if (dropped > 0) {
      this.log.warn(
        LOG_TAG,
        `${dropped} outbox entr${dropped === 1 ? "y" : "ies"} had no signal in the log (the daemon stopped before its commit); dropped`,
      );
    }
    const onError = (message: string, error?: Error): void => {
      session.link.recordError(error === undefined ? message : `${message}: ${error.message}`);
      this.log.warn(LOG_TAG, error === undefined ? message : `${message}: ${error.message}`);
    };
    const publisher = new SignalPublisher({
      node: federation.node,
      outbox,
      publishes: (sense) => publishes(this.config.current, sense),
      onError: (error) =>
        onError("publishing to the broker failed; signals wait in the outbox", error),
    });
    const link = new FederationLink({
      federation,
      outbox,
      publisher,
      bus: this.bus,
      logStore: this.logStore,
      listens: (node, sense) => remoteListens(this.config.current, node, sense),
      onError,
      connect: () => this.connector.connect(this.config.root, federation),
      now: () => this.clock.now(),
      runs: {
        manager: this.workflows.cluster,
        clusterWorkflows: () =>
          this.config.current.workflows
            .filter((workflow) => workflow.placement === "cluster")
            .map((workflow) => workflow.name),
      },
    });
    const session: Session = { federation, outbox, publisher, link };
    this.session = session;
    this.bus.setCommitHook(publisher);
    this.workflows.cluster.setPlacement({
      enqueue: (workflow, launch) => link.enqueue(workflow, launch),
    });
    this.log.info(
      LOG_TAG,
      `node ${federation.node}: connecting to ${federation.servers.join(", ")}; ${outbox.size()} signal(s) in the outbox`,
    );
  }

  private async close(): Promise<void> {
    const session = this.session;
    if (session === null) return;
    this.session = null;
    this.bus.setCommitHook(null);
    this.workflows.cluster.setPlacement(null);
    await session.link.close();
    session.outbox.close();
  }

  /** Drops outbox entries whose signal never reached the log: the daemon stopped in between. */
  private recover(outbox: SignalOutbox): number {
    let dropped = 0;
    let after = 0;
    for (;;) {
      const entries = outbox.after(after, 1_000);
      if (entries.length === 0) return dropped;
      for (const entry of entries) {
        const rows = this.logStore.query({ refId: entry.signalId, type: "signal", limit: 1 });
        if (rows.length === 0) {
          outbox.remove(entry.seq);
          dropped += 1;
        }
      }
      after = entries[entries.length - 1].seq;
    }
  }

  private report(message: string, error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.log.error(LOG_TAG, `${message}: ${failure.message}`, failure.stack);
  }
}

function publishes(config: CompiledConfig, sense: string): boolean {
  const list = config.federation?.publish ?? [];
  return list.includes("*") || list.includes(sense);
}
