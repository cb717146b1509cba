import type { JetStreamClient } from "@nats-io/jetstream";
import type { Signal } from "@nerve/core";
import type { SignalOutbox } from "@nerve/store";
import type { SignalCommitHook } from "../signal/signal-events.js";
import { encodeEnvelope, signalSubject } from "./subjects.js";

/** Entries published at once; the broker stores them in this order. */
const BATCH = 256;
/** How long one publish waits for the broker's ack. */
const PUBLISH_TIMEOUT_MS = 5_000;
/** Wait before trying again after a failed publish. */
const RETRY_MS = 1_000;

export interface PublisherOptions {
  node: string;
  outbox: SignalOutbox;
  /** Whether a sense's signals leave this host (read at each signal: follows config reloads). */
  publishes: (sense: string) => boolean;
  /** Told of each failed publish (the entries stay in the outbox). */
  onError: (error: Error) => void;
}

/**
 * The sending half of the federation, as the signal bus's commit hook: a published signal is
 * written to the durable outbox before its log row is appended, becomes sendable once that row
 * is committed (a signal the log lost never leaves), and is removed from the outbox once the
 * broker has acknowledged it. The message id is the signal id, so the broker drops a second
 * publish of it (a retry after a lost ack, a restart between ack and removal).
 *
 * While there is no broker ({@link SignalPublisher.detach}), entries wait in the outbox; when one
 * is attached they are sent in outbox order.
 */
export class SignalPublisher implements SignalCommitHook {
  private js: JetStreamClient | null = null;
  /** Outbox seqs of signals whose log row is not committed yet, by signal id. */
  private readonly uncommitted = new Map<string, number>();
  /** Entries up to this seq are committed to the log and may be sent. */
  private readyUpTo: number;
  private sending = false;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: PublisherOptions) {
    // Whatever a previous daemon left is committed (the recovery dropped the rest).
    this.readyUpTo = options.outbox.lastSeq();
  }

  beforeCommit(signal: Signal, payloadJson: string | undefined): void {
    // Even once stopped: a signal of the shutdown drain waits in the outbox for the next start.
    if (!this.options.publishes(signal.sense)) return;
    const seq = this.options.outbox.add({
      signalId: signal.id,
      sense: signal.sense,
      ts: signal.ts,
      causeId: signal.causeId,
      payload: payloadJson ?? JSON.stringify(signal.payload ?? null),
    });
    if (seq !== null) this.uncommitted.set(signal.id, seq);
  }

  committed(signal: Signal): void {
    const seq = this.uncommitted.get(signal.id);
    if (seq === undefined) return;
    this.uncommitted.delete(signal.id);
    if (seq > this.readyUpTo) this.readyUpTo = seq;
    this.kick();
  }

  notCommitted(signal: Signal): void {
    const seq = this.uncommitted.get(signal.id);
    if (seq === undefined) return;
    this.uncommitted.delete(signal.id);
    this.options.outbox.remove(seq);
  }

  /** Starts sending through `js` (a connection is up). */
  attach(js: JetStreamClient): void {
    this.js = js;
    this.kick();
  }

  /** Stops sending (the connection is down); entries wait in the outbox. */
  detach(): void {
    this.js = null;
  }

  /** Sends what is ready, now (after a reconnect). */
  kick(): void {
    if (this.stopped || this.sending || this.js === null || this.retry !== null) return;
    this.sending = true;
    void this.send().finally(() => {
      this.sending = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  /** Sends no more (signals still go to the outbox); resolves once the batch in flight is settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    while (this.sending) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async send(): Promise<void> {
    const { outbox, node } = this.options;
    for (;;) {
      const js = this.js;
      if (js === null || this.stopped) return;
      const batch = outbox.after(0, BATCH).filter((entry) => entry.seq <= this.readyUpTo);
      if (batch.length === 0) return;
      const results = await Promise.allSettled(
        batch.map((entry) =>
          js.publish(
            signalSubject(node, entry.sense),
            encodeEnvelope(entry.signalId, entry.ts, entry.causeId, entry.payload),
            { msgID: entry.signalId, timeout: PUBLISH_TIMEOUT_MS },
          ),
        ),
      );
      // Only the acknowledged prefix leaves the outbox, so the order is kept: what follows a
      // failure is sent again (the broker drops the copies it already has).
      let sent = 0;
      while (sent < results.length && results[sent].status === "fulfilled") sent += 1;
      if (sent > 0) outbox.removeUpTo(batch[sent - 1].seq);
      if (sent < results.length) {
        const failure = results[sent] as PromiseRejectedResult;
        this.options.onError(
          failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason)),
        );
        this.retry = setTimeout(() => {
          this.retry = null;
          this.kick();
        }, RETRY_MS);
        return;
      }
    }
  }
}
