import { Injectable, type OnModuleDestroy } from "@nestjs/common";
import type { LogRow, Signal } from "@nerve/core";
import { LogStore, parsePayload } from "@nerve/store";
import { SignalBus } from "../signal/signal-bus.js";
import { DashboardData } from "./dashboard-data.js";

/** What a page can listen to on the event stream. */
export const FEED_TOPICS = ["signal", "log", "stats"] as const;
export type FeedTopic = (typeof FEED_TOPICS)[number];

/** The writable end of one open event stream (an HTTP response). */
export interface FeedSink {
  write(chunk: string): boolean;
  /** Bytes accepted by `write` and not yet handed to the socket. */
  readonly writableLength: number;
  destroy(): void;
}

/** One open stream, and what it asked for. */
interface FeedClient {
  sink: FeedSink;
  topics: ReadonlySet<FeedTopic>;
  /** Only signals (and log rows) of this sense, when set. */
  sense: string | null;
}

/** Limits that keep an open tab from growing the daemon. */
export interface FeedLimits {
  /** A client with more than this many bytes not yet sent is dropped. */
  maxPendingBytes: number;
  /** Open streams at most; more are refused. */
  maxClients: number;
  /** Log rows sent per commit at most; beyond that the stream is told it missed some. */
  maxRowsPerCommit: number;
  /** How often the counters are sent. */
  statsIntervalMs: number;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = {
  maxPendingBytes: 256 * 1024,
  maxClients: 32,
  maxRowsPerCommit: 200,
  statsIntervalMs: 1_000,
};

const TAIL_SQL =
  "SELECT id, ts, source, type, ref_id AS refId, payload FROM log WHERE id > ? ORDER BY id LIMIT ?";

type State = "idle" | "live" | "closed";

/**
 * The dashboard's one event stream (Server-Sent Events), shared by every open tab. It listens
 * only while a tab is open: to the signal bus (`signal`), to the log's commits (`log`, the rows
 * committed since the last batch, read once per commit and sent to everyone) and to a one-second
 * tick that sends the live counters (`stats`). Each event is serialised once. Nothing is queued
 * per client beyond what its socket holds: a client whose socket falls behind by more than
 * `maxPendingBytes` is dropped (its page reconnects and reloads), never waited for.
 *
 * State: `idle` (no client) ⇄ `live` (subscribed, ticking) → `closed` (daemon stopping).
 */
@Injectable()
export class DashboardFeed implements OnModuleDestroy {
  private readonly clients = new Set<FeedClient>();
  private state: State = "idle";
  private unsubscribeSignals: (() => void) | null = null;
  private unsubscribeCommits: (() => void) | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private tailPending: NodeJS.Immediate | null = null;
  private lastLogId = 0;
  private signals = 0;
  /** Clients dropped for being too slow, since the start (reported in `stats`). */
  dropped = 0;
  limits: FeedLimits = DEFAULT_FEED_LIMITS;

  constructor(
    private readonly bus: SignalBus,
    private readonly logStore: LogStore,
    private readonly data: DashboardData,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /**
   * Adds an open stream. Returns the function that removes it, or null when the stream was
   * refused (too many clients, or the daemon is stopping).
   */
  attach(
    sink: FeedSink,
    topics: ReadonlySet<FeedTopic>,
    sense: string | null,
  ): (() => void) | null {
    if (this.state === "closed" || this.clients.size >= this.limits.maxClients) return null;
    const client: FeedClient = { sink, topics, sense };
    this.clients.add(client);
    if (this.state === "idle") this.start();
    sink.write(`retry: 2000\n\n`);
    if (topics.has("stats")) this.send(client, this.statsEvent());
    return () => this.detach(client);
  }

  /** Ends every open stream (the server is closing or moving); their pages reconnect. */
  disconnectAll(): void {
    for (const client of [...this.clients]) {
      this.detach(client);
      client.sink.destroy();
    }
  }

  onModuleDestroy(): void {
    // Streams first: the last one to leave unsubscribes from the bus and the log.
    this.disconnectAll();
    if (this.state === "live") this.stop();
    this.state = "closed";
  }

  private detach(client: FeedClient): void {
    if (!this.clients.delete(client)) return;
    if (this.clients.size === 0 && this.state === "live") this.stop();
  }

  private start(): void {
    this.state = "live";
    this.lastLogId = this.headId();
    this.unsubscribeSignals = this.bus.subscribe("*", (signal) => this.onSignal(signal));
    this.unsubscribeCommits = this.logStore.onCommitted(() => this.onCommit());
    this.ticker = setInterval(
      () => this.broadcast("stats", null, this.statsEvent()),
      this.limits.statsIntervalMs,
    );
    this.ticker.unref();
  }

  private stop(): void {
    this.state = "idle";
    this.unsubscribeSignals?.();
    this.unsubscribeCommits?.();
    this.unsubscribeSignals = this.unsubscribeCommits = null;
    if (this.ticker !== null) clearInterval(this.ticker);
    if (this.tailPending !== null) clearImmediate(this.tailPending);
    this.ticker = this.tailPending = null;
  }

  private onSignal(signal: Signal): void {
    this.signals += 1;
    const event = frame("signal", {
      id: signal.id,
      sense: signal.sense,
      ts: signal.ts,
      causeId: signal.causeId,
      payload: signal.payload,
    });
    this.broadcast("signal", signal.sense, event);
  }

  /** Commits come in bursts: read once on the next turn, for everything committed by then. */
  private onCommit(): void {
    if (this.tailPending !== null || this.state !== "live") return;
    this.tailPending = setImmediate(() => {
      this.tailPending = null;
      this.sendTail();
    });
  }

  private sendTail(): void {
    const max = this.limits.maxRowsPerCommit;
    const stored = this.logStore.reader.prepare(TAIL_SQL).all(this.lastLogId, max + 1) as {
      id: number;
      ts: number;
      source: string;
      type: string;
      refId: string | null;
      payload: string | null;
    }[];
    if (stored.length === 0) return;
    const missed = stored.length > max;
    const rows: LogRow[] = stored
      .slice(0, max)
      .map((row) => ({ ...row, payload: parsePayload(row.payload) }));
    this.lastLogId = missed ? this.headId() : rows[rows.length - 1].id;
    // One event per batch: a page redraws once for a burst of rows.
    for (const client of [...this.clients]) {
      if (!client.topics.has("log")) continue;
      const mine =
        client.sense === null ? rows : rows.filter((r) => r.source === `sense:${client.sense}`);
      if (mine.length > 0 || missed) this.send(client, frame("log", { rows: mine, missed }));
    }
  }

  private statsEvent(): string {
    const senses = this.data.liveSenses();
    let computes = 0;
    let errors = 0;
    for (const sense of senses) {
      computes += sense.computes ?? 0;
      errors += sense.errors ?? 0;
    }
    return frame("stats", {
      ts: Date.now(),
      signals: this.signals,
      computes,
      errors,
      clients: this.clients.size,
      dropped: this.dropped,
      health: this.data.overview(),
      senses,
    });
  }

  private broadcast(topic: FeedTopic, sense: string | null, event: string): void {
    for (const client of [...this.clients]) {
      if (!client.topics.has(topic)) continue;
      if (client.sense !== null && sense !== null && client.sense !== sense) continue;
      this.send(client, event);
    }
  }

  private send(client: FeedClient, event: string): void {
    if (client.sink.writableLength > this.limits.maxPendingBytes) {
      this.dropped += 1;
      this.detach(client);
      client.sink.destroy();
      return;
    }
    client.sink.write(event);
  }

  private headId(): number {
    const id = this.logStore.reader.prepare("SELECT max(id) FROM log").pluck().get() as
      number | null;
    return id ?? 0;
  }
}

/** One Server-Sent Event: its name and its data on one line (JSON never holds a raw newline). */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
