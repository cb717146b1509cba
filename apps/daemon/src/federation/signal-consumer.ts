import type { Consumer, ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import type { Signal } from "@nerve/core";
import type { LogStore } from "@nerve/store";
import type { SignalBus } from "../signal/signal-bus.js";
import { decodeEnvelope, parseSignalSubject } from "./subjects.js";

/** Messages pulled at once; also what may wait for their commit together. */
const PULL = 512;
/** Ids of recent remote signals kept to drop a second copy before its row is committed. */
const RECENT_IDS = 100_000;
/** A failed commit is offered again after this long. */
const NAK_DELAY_MS = 2_000;

export interface ConsumerOptions {
  node: string;
  bus: SignalBus;
  logStore: LogStore;
  /** Whether some reflex here listens to `sense` of `node` (read per message: follows reloads). */
  listens: (node: string, sense: string) => boolean;
  onError: (message: string, error?: Error) => void;
}

/**
 * The receiving half of the federation: reads this daemon's durable consumer and, for each
 * signal of another daemon that a reflex here listens to, commits it to the local log (same id,
 * source `node:<n>/sense:<s>`), lets the reflex scheduler hear it, and only then acks it. So a
 * daemon killed at any point gets the signal again, and a signal already in the log (committed,
 * not yet acked when the daemon died; or published twice) is acked without being committed or
 * heard again. Signals nobody listens to, and this daemon's own, are acked and skipped.
 */
export class SignalConsumer {
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private readonly recent = new Set<string>();
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ConsumerOptions) {}

  /** Starts reading `consumer`. */
  async start(consumer: Consumer): Promise<void> {
    const messages = await consumer.consume({ max_messages: PULL });
    this.messages = messages;
    this.loop = (async () => {
      for await (const msg of messages) this.handle(msg);
    })().catch((error: unknown) => {
      this.options.onError("the signal consumer stopped", asError(error));
    });
  }

  /** Stops pulling and waits for the signals being committed to be acked. */
  async stop(): Promise<void> {
    const messages = this.messages;
    this.messages = null;
    if (messages !== null) await messages.close().catch(() => undefined);
    await this.loop;
    while (this.inflight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private handle(msg: JsMsg): void {
    const { node: self, bus, logStore, listens, onError } = this.options;
    const from = parseSignalSubject(msg.subject);
    if (from === null || from.node === self || !listens(from.node, from.sense)) {
      msg.ack();
      return;
    }
    const envelope = decodeEnvelope(msg.string());
    if (envelope === null) {
      onError(`a message on ${msg.subject} is not a signal envelope; it is dropped`);
      msg.term();
      return;
    }
    const { id } = envelope;
    if (
      this.recent.has(id) ||
      logStore.reader.query({ refId: id, type: "signal", limit: 1 }).length > 0
    ) {
      msg.ack();
      return;
    }
    this.remember(id);
    const signal: Signal & { node: string } = {
      id,
      sense: from.sense,
      payload: envelope.payload,
      ts: envelope.ts,
      causeId: envelope.causeId,
      node: from.node,
    };
    this.inflight += 1;
    bus
      .publishRemote(signal, JSON.stringify(envelope.payload))
      .then(
        () => msg.ack(),
        (error: unknown) => {
          this.recent.delete(id);
          onError(
            `signal ${id} of ${from.node}/${from.sense} could not be committed`,
            asError(error),
          );
          msg.nak(NAK_DELAY_MS);
        },
      )
      .finally(() => {
        this.inflight -= 1;
        if (this.inflight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  private remember(id: string): void {
    this.recent.add(id);
    if (this.recent.size > RECENT_IDS) {
      // Sets iterate in insertion order: the oldest id goes first.
      const oldest = this.recent.values().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
