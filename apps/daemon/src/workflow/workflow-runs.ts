import { isFinalRunStatus, type RoleMessage } from "@nerve/core";
import type { WorkflowRunRecord } from "@nerve/store";
import { type ActiveRun, DROP_MESSAGES, newActive, type QueuedRun, quiet } from "./active-run.js";
import { admit, type AdmissionPolicy, type Availability } from "./admission.js";
import type { RunEnding, RunJournal, RunLaunch } from "./run-journal.js";
import { RunDispatcher } from "./run-dispatcher.js";
import { RunWrites } from "./run-writes.js";
import type { LaunchResult } from "./workflow-launcher.js";
import type { WorkflowWorkerHandle } from "./workflow-host.types.js";
import type { WorkflowEvents } from "./workflow-reporter.js";
import type { ThreadEnd } from "./worker/messages.js";

/**
 * How long shutdown waits for commits in flight. They take milliseconds; a log that cannot be
 * written (a full disk) must not hold the daemon forever: their rows stay with the log store,
 * which says what it could not write when it closes.
 */
export const SETTLE_LIMIT_MS = 5_000;

/** What WorkflowRuns needs from its supervisor and the engine. */
export interface WorkflowRunsDeps {
  workflow: string;
  journal: RunJournal;
  events: WorkflowEvents;
  resumeLimit: number;
  /** The ready worker new runs go to, or null. */
  readyHost(): WorkflowWorkerHandle | null;
  availability(): Availability;
  /** Told of every run that reached a final status. */
  onEnded(record: WorkflowRunRecord): void;
  /** Told when a host has no run left (a retiring worker may stop early). */
  onHostIdle(host: WorkflowWorkerHandle): void;
}

/**
 * The runs of one workflow in this daemon: who is `started` (and on which worker), who waits in
 * the queue, and every step of a run between them — admission (SPEC §6 concurrency), dispatch
 * to the worker, each round's commit before its ack, the end, and what happens to runs whose
 * worker died (crashed, then resumed from their committed messages, or crashed for good).
 */
export class WorkflowRuns {
  private readonly active = new Map<string, ActiveRun>();
  private queue: QueuedRun[] = [];
  /** Run-state writes, held and retried while the store cannot be written (a full disk). */
  private readonly writes: RunWrites;
  private readonly dispatcher: RunDispatcher;

  constructor(
    private policy: AdmissionPolicy,
    private readonly deps: WorkflowRunsDeps,
  ) {
    this.writes = new RunWrites(
      deps.workflow,
      deps.journal,
      deps.events,
      (record) => deps.onEnded(record),
      () => this.dispatchWaiting(),
    );
    this.dispatcher = new RunDispatcher(this.active, deps, this.writes);
  }

  get activeCount(): number {
    return this.active.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  setPolicy(policy: AdmissionPolicy): void {
    this.policy = policy;
    this.pump();
  }

  /** Records a launch as started, queued or dropped; resolves once its start message is durable. */
  async launch(launch: RunLaunch): Promise<LaunchResult> {
    const { workflow, journal } = this.deps;
    // Older queued runs take free slots first (FIFO), e.g. those of a previous daemon.
    this.pump();
    const availability = this.deps.availability();
    const admission = admit(this.policy, this.active.size, this.queue.length, availability);
    const extra =
      admission.status === "dropped"
        ? { reason: admission.reason, message: DROP_MESSAGES[admission.reason] }
        : admission.status === "queued"
          ? queueReason(availability)
          : {};
    const created = journal.create(workflow, launch, admission.status, extra);
    const { runId } = created.record;
    const evicted = admission.status === "queued" ? this.queue.splice(0, admission.evict) : [];
    for (const run of evicted) {
      this.writes.end(run.runId, {
        status: "dropped",
        reason: "evicted",
        message: DROP_MESSAGES.evicted,
        by: runId,
      });
    }
    const committed = created.committed.catch((error: unknown) => {
      this.deps.events.error(workflow, `run ${runId}: its start message was not committed`);
      throw error;
    });
    switch (admission.status) {
      case "started":
        this.active.set(runId, newActive(runId, created.start, quiet(committed)));
        await committed;
        this.dispatcher.dispatch(runId);
        break;
      case "queued":
        this.queue.push({ runId, start: created.start });
        await committed;
        break;
      case "dropped":
        this.deps.onEnded(created.record);
        await committed;
        break;
    }
    return { runId, status: admission.status };
  }

  /**
   * Runs this daemon can take from the cluster's queue now: free slots once the local queue is
   * served, and none while no worker is ready or the workflow is not open.
   */
  freeSlots(): number {
    if (this.deps.availability() !== "open" || this.deps.readyHost() === null) return 0;
    return Math.max(0, this.policy.concurrency - this.active.size - this.queue.length);
  }

  /**
   * Starts a run taken from the cluster's queue (`placement: cluster`), under the id its
   * launching daemon gave it. A run this daemon left `started` (it stopped or died under it) is
   * resumed from its committed messages instead; one it already ended is reported ended again
   * (through `onEnded`), so that the queue's copy is acknowledged and nothing runs twice.
   */
  take(launch: RunLaunch & { runId: string }): void {
    const { runId } = launch;
    if (this.active.has(runId)) return;
    const { workflow, journal } = this.deps;
    const existing = journal.get(runId);
    if (existing !== null) {
      if (isFinalRunStatus(existing.status)) this.deps.onEnded(existing);
      else if (existing.status === "started") {
        this.adopt([existing]);
        this.dispatchWaiting();
      }
      return;
    }
    const created = journal.create(workflow, launch, "started");
    const committed = quiet(
      created.committed.catch((error: unknown) => {
        this.deps.events.error(workflow, `run ${runId}: its start message was not committed`);
        throw error;
      }),
    );
    this.active.set(runId, newActive(runId, created.start, committed));
    this.dispatcher.dispatch(runId);
  }

  /** Takes over the runs a previous daemon left `started` (resumed) and `queued` (queued again). */
  adopt(records: readonly WorkflowRunRecord[]): void {
    for (const record of records) {
      if (record.status === "queued") {
        this.queue.push({ runId: record.runId, start: null });
        continue;
      }
      if (record.resumes >= this.deps.resumeLimit) {
        this.writes.end(record.runId, {
          status: "crashed",
          error:
            `the run was in flight when the previous daemon stopped and has been resumed ` +
            `${record.resumes} times already (the limit is ${this.deps.resumeLimit})`,
          resumes: record.resumes,
        });
        continue;
      }
      const run = newActive(record.runId, null, Promise.resolve());
      run.rounds = record.rounds;
      run.resumes = record.resumes;
      run.resume = "the previous daemon stopped while it was in flight";
      this.active.set(record.runId, run);
    }
  }

  /** Sends every waiting run to the ready worker, then fills free slots from the queue. */
  dispatchWaiting(): void {
    for (const runId of [...this.active.keys()]) this.dispatcher.dispatch(runId);
    this.pump();
  }

  /** Starts queued runs, oldest first, while slots are free and the workflow is open. */
  pump(): void {
    while (
      this.queue.length > 0 &&
      this.active.size < this.policy.concurrency &&
      this.deps.availability() === "open" &&
      !this.writes.has("pump")
    ) {
      const next = this.queue[0];
      const outcome = this.writes.write(
        "pump",
        `the start of queued run ${next.runId}`,
        `queued run ${next.runId} could not start`,
        () => this.startQueued(next),
      );
      // Held while the store cannot be written: the retry starts it, then the queue moves on.
      if (outcome === "held") return;
      if (outcome === "failed") this.queue.shift();
    }
  }

  /** Records the first queued run `started` and dispatches it, if it is still first. */
  private startQueued(next: QueuedRun): void {
    if (this.queue[0] !== next) return;
    this.deps.journal.started(this.deps.workflow, next.runId);
    this.queue.shift();
    // A run queued by a previous daemon has no start in memory: it is read back from the store.
    this.active.set(next.runId, newActive(next.runId, next.start, Promise.resolve()));
    this.dispatcher.dispatch(next.runId);
  }

  /** A worker asks to commit a round: commit it durably, then ack. */
  onMessage(host: WorkflowWorkerHandle, runId: string, requestId: number, message: RoleMessage) {
    const run = this.active.get(runId);
    if (run === undefined || run.host !== host || run.ending) return;
    if (message.round <= run.rounds) {
      // Already committed (the worker cannot know): exactly-once persistence.
      host.ack(requestId);
      return;
    }
    if (message.kind !== "role" || message.round !== run.rounds + 1) {
      this.end(run, {
        status: "failed",
        error: `the worker sent round ${String(message.round)} after round ${run.rounds}`,
        rounds: run.rounds,
      });
      return;
    }
    run.rounds = message.round;
    const { workflow, journal } = this.deps;
    run.committed = run.committed
      .then(() => journal.message(workflow, runId, message))
      .then(
        () => {
          // The message is durable, which is what the ack promises; `rounds` may follow later.
          this.writes.rounds(runId, message.round);
          host.ack(requestId);
        },
        (error: unknown) =>
          this.deps.events.error(
            workflow,
            `run ${runId}: round ${message.round} was not committed: ${(error as Error).message}`,
          ),
      );
  }

  /** A thread ended in the worker. */
  onEnd(host: WorkflowWorkerHandle, runId: string, end: ThreadEnd): void {
    const run = this.active.get(runId);
    if (run === undefined || run.host !== host || run.ending) return;
    switch (end.status) {
      case "aborted":
        // The worker drains: the run stays `started` for the next worker or daemon.
        run.host = null;
        run.resume = "its worker stopped while it was in flight";
        return;
      case "completed":
        this.end(run, end);
        return;
      case "failed":
        this.end(run, {
          status: "failed",
          error: end.error.message,
          name: end.error.name,
          ...(end.error.stack === undefined ? {} : { stack: end.error.stack }),
          rounds: end.rounds,
        });
        return;
    }
  }

  /**
   * A worker died under its runs: each gets a `workflow.crashed` row and waits to be resumed by
   * the next worker, unless it was resumed `resumeLimit` times already — then it ends `crashed`.
   */
  hostLost(host: WorkflowWorkerHandle, error: string): void {
    for (const run of this.runsOn(host)) {
      run.host = null;
      if (run.resumes >= this.deps.resumeLimit) {
        this.end(run, {
          status: "crashed",
          error:
            `${error}; the run was resumed ${run.resumes} times already ` +
            `(the limit is ${this.deps.resumeLimit})`,
          resumes: run.resumes,
        });
        continue;
      }
      this.deps.journal.crashed(this.deps.workflow, run.runId, error, run.resumes);
      run.resume = "its worker died while it was in flight";
    }
  }

  /**
   * Respawning stopped: every run on the dead worker or waiting for one ends `crashed`; queued
   * runs wait. Runs on a retiring worker finish there.
   */
  crashAll(deadHost: WorkflowWorkerHandle | null, error: string): void {
    for (const run of [...this.active.values()]) {
      if (run.ending || (run.host !== null && run.host !== deadHost)) continue;
      this.end(run, { status: "crashed", error, resumes: run.resumes });
    }
  }

  /** Ends the runs still on `host` `interrupted` (a retiring worker's grace is over). */
  interruptOn(host: WorkflowWorkerHandle, reason: string): void {
    for (const run of this.runsOn(host)) this.end(run, { status: "interrupted", reason });
  }

  /** Ends every queued run and every run waiting for a worker `interrupted` (workflow removed). */
  interruptWaiting(reason: string): void {
    const queued = this.queue;
    this.queue = [];
    for (const run of queued) this.writes.end(run.runId, { status: "interrupted", reason });
    for (const run of [...this.active.values()]) {
      if (run.host === null && !run.ending) this.end(run, { status: "interrupted", reason });
    }
  }

  /** How many runs `host` is running. */
  countOn(host: WorkflowWorkerHandle): number {
    return this.runsOn(host).length;
  }

  /**
   * Waits for every commit in flight (at most `limitMs`), then detaches the runs from their
   * workers (shutdown).
   */
  async settle(limitMs = SETTLE_LIMIT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, limitMs);
    });
    try {
      await Promise.race([
        Promise.all([...this.active.values()].map((run) => run.committed)),
        limit,
      ]);
    } finally {
      clearTimeout(timer);
    }
    for (const run of this.active.values()) run.host = null;
    this.writes.stop();
  }

  private runsOn(host: WorkflowWorkerHandle): ActiveRun[] {
    return [...this.active.values()].filter((run) => run.host === host && !run.ending);
  }

  /** Records a run's end, frees its slot and starts the next queued run. */
  private end(run: ActiveRun, ending: RunEnding): void {
    run.ending = true;
    const host = run.host;
    void run.committed.then(() => {
      this.active.delete(run.runId);
      this.writes.end(run.runId, ending);
      if (host !== null && this.countOn(host) === 0) this.deps.onHostIdle(host);
      this.pump();
    });
  }
}

/** Why a launch waits in the queue, for its `workflow.queued` row. */
function queueReason(availability: string): { reason: string; message: string } {
  switch (availability) {
    case "open":
      return { reason: "concurrency", message: "every concurrency slot is taken" };
    case "closed":
      return {
        reason: "disabled",
        message: "the workflow cannot start runs now (see nerve status); it waits in the queue",
      };
    default:
      return {
        reason: "draining",
        message: "the daemon is stopping; the run starts at its next start",
      };
  }
}
