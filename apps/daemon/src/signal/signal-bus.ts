import { Inject, Injectable } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
import { NAME_PATTERN, type Signal } from "@nerve/core";
import { JsonText, LogStore, newRunId } from "@nerve/store";
import { Clock } from "../kernel/clock.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { InvalidSignalSubscriptionError, SignalBusWildcardError } from "./errors/signal.error.js";
import {
  REMOTE_SIGNAL_EVENT,
  signalEvent,
  type SignalCommitHook,
  type SignalHandler,
  type SignalSource,
} from "./signal-events.js";

const LOG_TAG = "signal";

/**
 * The signal bus. Publishing a signal appends it to the log and, once that row is committed,
 * emits it on the engine's EventEmitter2 as `signal.<sense>`, where {@link SignalBus.subscribe}
 * handlers and `@OnSignal` methods get it. So no listener ever acts on a signal the log could
 * still lose: a daemon killed right after a listener heard a signal has that signal in its log.
 * The commit is the group commit on the next turn of the event loop, shared by everything
 * published meanwhile, and listeners hear signals in publish order.
 * The log itself never triggers anything: only what goes through here does.
 *
 * A listener that throws or rejects is logged to the daemon log and does not affect the
 * publisher or the other listeners.
 */
@Injectable()
export class SignalBus {
  private hook: SignalCommitHook | null = null;

  constructor(
    @Inject(EventEmitter2) private readonly events: EventEmitter2,
    @Inject(LogStore) private readonly logStore: LogStore,
    @Inject(DaemonLog) private readonly log: DaemonLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    // "*" subscriptions rely on wildcard matching; without it they would silently hear nothing.
    if ((events as { wildcard?: boolean }).wildcard !== true) throw new SignalBusWildcardError();
  }

  /**
   * A new signal of `sense`, stamped now with a fresh id (a UUID v7, so ids sort by time).
   *
   * @param causeId the id of the first signal that triggered the compute emitting this one, or
   *   `null` when that compute ran on an interval or by hand.
   */
  createSignal<P>(sense: string, payload: P, causeId: string | null = null): Signal<P> {
    const ts = this.clock.now();
    return { id: newRunId(ts), sense, payload, ts, causeId };
  }

  /**
   * Appends `signal` to the log as a `signal` row (source `sense:<sense>`, ref_id the signal id,
   * payload the signal's payload) and, once the row is committed, notifies its listeners.
   *
   * @param payloadJson the payload already serialised as JSON (as a worker sends it); stored as
   *   is instead of serialising `signal.payload` again.
   * @returns resolves once the row is committed and the listeners were called. While commits
   *   fail (a full disk) it waits for the store's retries: an unrecorded signal is never emitted.
   *   Rejects, and emits nothing, when the row cannot be appended (the store is closed, the
   *   payload is not serialisable).
   */
  publish(signal: Signal, payloadJson?: string): Promise<void> {
    const hook = this.hook;
    if (hook !== null) this.callHook(() => hook.beforeCommit(signal, payloadJson), signal);
    let committed: Promise<void>;
    try {
      committed = this.logStore.appendCommitted({
        ts: signal.ts,
        source: `sense:${signal.sense}`,
        type: "signal",
        refId: signal.id,
        payload: payloadJson === undefined ? signal.payload : new JsonText(payloadJson),
      });
    } catch (error) {
      committed = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return committed.then(
      () => {
        if (hook !== null) this.callHook(() => hook.committed(signal), signal);
        this.events.emit(signalEvent(signal.sense), signal);
      },
      (error: unknown) => {
        if (hook !== null) this.callHook(() => hook.notCommitted(signal), signal);
        throw error;
      },
    );
  }

  /**
   * Appends a signal of another daemon of the cluster (`signal.node` set) as a `signal` row with
   * source `node:<node>/sense:<sense>` and the same id, and once it is committed tells the
   * {@link SignalBus.subscribeRemote} listeners (the reflex scheduler). Local subscribers of
   * `signal.<sense>` and `"*"` do not hear it. The commit hook is not called: a remote signal
   * never leaves this host again.
   */
  publishRemote(signal: Signal & { node: string }, payloadJson: string): Promise<void> {
    return this.logStore
      .appendCommitted({
        ts: signal.ts,
        source: `node:${signal.node}/sense:${signal.sense}`,
        type: "signal",
        refId: signal.id,
        payload: new JsonText(payloadJson),
      })
      .then(() => {
        this.events.emit(REMOTE_SIGNAL_EVENT, signal);
      });
  }

  /** Calls `handler` with every signal of another daemon once it is committed here. */
  subscribeRemote(handler: SignalHandler): () => void {
    const listener = (signal: Signal): void => {
      try {
        const result = handler(signal);
        if (result instanceof Promise) {
          result.catch((error) => this.report(REMOTE_SIGNAL_EVENT, signal, error));
        }
      } catch (error) {
        this.report(REMOTE_SIGNAL_EVENT, signal, error);
      }
    };
    this.events.on(REMOTE_SIGNAL_EVENT, listener);
    return () => this.events.off(REMOTE_SIGNAL_EVENT, listener);
  }

  /**
   * Installs the hook told of every local signal around its commit (the federation's outbox),
   * replacing any other; `null` removes it. A hook that throws is logged and the signal goes on.
   */
  setCommitHook(hook: SignalCommitHook | null): void {
    this.hook = hook;
  }

  private callHook(call: () => void, signal: Signal): void {
    try {
      call();
    } catch (error) {
      this.report("the signal commit hook", signal, error);
    }
  }

  /**
   * Calls `handler` with every signal of `sense` (or of every sense for `"*"`), in publish
   * order, until the returned function is called (calling it again does nothing).
   *
   * @throws InvalidSignalSubscriptionError when `sense` is neither a sense name nor `"*"`.
   */
  subscribe(sense: SignalSource, handler: SignalHandler): () => void {
    if (sense !== "*" && !(typeof sense === "string" && NAME_PATTERN.test(sense))) {
      throw new InvalidSignalSubscriptionError(sense);
    }
    const event = signalEvent(sense);
    const listener = (signal: Signal): void => {
      try {
        const result = handler(signal);
        if (result instanceof Promise) result.catch((error) => this.report(event, signal, error));
      } catch (error) {
        this.report(event, signal, error);
      }
    };
    this.events.on(event, listener);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.events.off(event, listener);
    };
  }

  private report(event: string, signal: Signal, error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.log.error(
      LOG_TAG,
      `a subscriber of ${event} failed on signal ${signal.id} of sense ${signal.sense}: ${failure.message}`,
      failure.stack,
    );
  }
}
