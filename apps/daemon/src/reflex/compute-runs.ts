import type { DaemonLog } from "../kernel/daemon-log.js";
import type { ComputeOutcome, SenseExecutor } from "../sense/sense-runtime.types.js";
import { newRunId } from "@nerve/store";
import type { SenseTrigger } from "@nerve/core";
import {
  executorFailure,
  type ComputeIdentity,
  type ComputeOutcomeHandler,
} from "./compute-outcome-handler.js";
import type { PendingCompute } from "./pending-trigger.js";
import { recordCompute, recordFailure, type SenseSlot } from "./sense-slot.js";

/** What {@link ComputeRuns} needs from the scheduler. */
export interface ComputeRunsDeps {
  executor: SenseExecutor;
  outcomes: ComputeOutcomeHandler;
  log: DaemonLog;
  now: () => number;
  /** Called once a slot's compute is over and its outcome handled: the slot may compute again. */
  finished: (slot: SenseSlot) => void;
}

/**
 * The computes the scheduler starts: each goes to the executor, its outcome is counted in the
 * slot's stats and handed to the {@link ComputeOutcomeHandler}, and what the outcome leaves under
 * way (a signal's delivery, a workflow's launch) is followed until it settles, so that
 * {@link ComputeRuns.idle} knows when everything is done.
 *
 * Per compute it makes one promise callback pair and no id unless one is recorded: a tick of a
 * thousand senses runs a thousand of these a second.
 */
export class ComputeRuns {
  /** Computes and outcome follow-ups in flight, and who waits for there to be none. */
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: ComputeRunsDeps) {}

  /** Resolves once no compute is in flight and every outcome is handled. */
  async idle(): Promise<void> {
    while (this.inflight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts the compute of `slot` for `pending`; `now` is the moment it starts. */
  start(slot: SenseSlot, { trigger, now: instant }: PendingCompute, now: number): void {
    slot.running = true;
    slot.lastStartAt = now;
    const compute = new ComputeRun(trigger, now);
    let outcome: Promise<ComputeOutcome>;
    try {
      outcome = this.deps.executor.compute({ sense: slot.name, trigger, now: instant });
    } catch (error) {
      outcome = Promise.resolve(executorFailure(error, now, this.deps.now()));
    }
    this.inflight += 1;
    // The executor promises never to reject; if it does, the compute still counts as failed.
    outcome.then(
      (result) => this.done(slot, result, compute),
      (error: unknown) => this.done(slot, executorFailure(error, now, this.deps.now()), compute),
    );
  }

  private done(slot: SenseSlot, outcome: ComputeOutcome, compute: ComputeRun): void {
    try {
      this.settle(slot, outcome, compute);
    } finally {
      this.release();
    }
  }

  private settle(slot: SenseSlot, outcome: ComputeOutcome, compute: ComputeRun): void {
    slot.running = false;
    const stats = slot.stats;
    stats.computes += 1;
    stats.lastComputeAt = outcome.endedAt;
    recordCompute(stats, {
      at: outcome.endedAt,
      ms: Math.max(0, outcome.endedAt - outcome.startedAt),
      ok: outcome.ok,
    });
    const causeId = compute.trigger.signals[0]?.id ?? null;
    try {
      const handled = this.deps.outcomes.handle(slot.name, outcome, causeId, compute);
      if (handled.signal !== null) stats.lastSignalAt = handled.signal.ts;
      if (handled.failure !== null) recordFailure(stats, handled.failure);
      if (handled.followUp !== null) {
        this.inflight += 1;
        handled.followUp
          .then((failure) => failure !== null && recordFailure(stats, failure))
          .then(this.release, this.release);
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.deps.log.error(
        `sense:${slot.name}`,
        `its outcome could not be handled: ${failure.message}`,
        failure.stack,
      );
    }
    this.deps.finished(slot);
  }

  private readonly release = (): void => {
    this.inflight -= 1;
    if (this.inflight > 0 || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
}

/**
 * The identity of one compute for its lineage. Its id (a UUID v7 of the moment it started) is
 * minted when first read: most computes (a tick that makes nothing) record no lineage.
 */
class ComputeRun implements ComputeIdentity {
  #id: string | null = null;

  constructor(
    readonly trigger: SenseTrigger,
    private readonly startedAt: number,
  ) {}

  get id(): string {
    this.#id ??= newRunId(this.startedAt);
    return this.#id;
  }
}
