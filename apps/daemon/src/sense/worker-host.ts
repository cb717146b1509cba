import { performance } from "node:perf_hooks";
import type { SenseTrigger } from "@nerve/core";
import { ForkedWorkerHost } from "../process/forked-worker-host.js";
import type { ProcessExit } from "../process/forked-worker.types.js";
import { exitError, failedOutcome, parseWorkerRoute } from "./compute-outcome.js";
import {
  ComputeTimeoutError,
  SenseUnavailableError,
  WorkerInitError,
} from "./errors/worker.error.js";
import type { ComputeOutcome } from "./sense-runtime.types.js";
import {
  isWorkerMessage,
  ParentCommand,
  WorkerCommand,
  type ParentMessage,
  type SenseInitFailure,
  type WorkerMessage,
} from "./worker/messages.js";
import {
  DEFAULT_WORKER_TIMINGS,
  type SenseWorkerHandle,
  type WorkerExitInfo,
  type WorkerHostOptions,
  type WorkerHostTimings,
} from "./worker-host.types.js";

/** setTimeout's longest delay; a later deadline is looked at again after it. */
const MAX_TIMER_MS = 2_147_483_647;

interface Pending {
  sense: string;
  startedAt: number;
  resolve: (outcome: ComputeOutcome) => void;
  timeoutMs: number;
  /** When it times out, on the monotonic clock (`performance.now()`). */
  deadline: number;
  /** Set once the compute timed out: the outcome is given, the worker is killed if it hangs on. */
  timedOut: boolean;
  /** After a timeout: kills the worker unless the compute settles within the abort grace. */
  killTimer: NodeJS.Timeout | null;
}

/**
 * One forked worker process of a sense group (the fork, handshake and stop are
 * ForkedWorkerHost's): request/response correlation of computes, timeouts with abort and kill.
 * Unexpected exits resolve every compute in flight as `crashed`. A host whose init failed is
 * never reused: its owner creates a new one.
 */
export class WorkerHost
  extends ForkedWorkerHost<ParentMessage, SenseInitFailure[], WorkerExitInfo>
  implements SenseWorkerHandle
{
  readonly group: string;
  private readonly timings: WorkerHostTimings;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  /** The one timer of the computes' timeouts (see watchDeadline), and when it fires. */
  private deadlineTimer: NodeJS.Timeout | null = null;
  private deadlineAt = Infinity;
  /** Set by kill(): the compute whose hang got the worker killed, if one did. */
  private killedFor: { culprit: string | null } | null = null;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkerHostOptions) {
    const timings = { ...DEFAULT_WORKER_TIMINGS, ...options.timings };
    super(options, timings);
    this.group = options.init.group;
    this.timings = timings;
  }

  get ready(): boolean {
    return this.state === "ready";
  }

  get inFlight(): number {
    return this.pending.size;
  }

  compute(
    sense: string,
    trigger: SenseTrigger,
    timeoutMs: number,
    now?: number,
  ): Promise<ComputeOutcome> {
    const startedAt = this.options.clock.now();
    if (this.state !== "ready") {
      const error = new SenseUnavailableError(
        sense,
        `the worker of group ${this.group} is ${this.state === "exited" ? "gone" : this.state}`,
      );
      return Promise.resolve(failedOutcome("unavailable", error, startedAt, startedAt));
    }
    const requestId = this.nextRequestId++;
    return new Promise<ComputeOutcome>((resolve) => {
      const deadline = performance.now() + timeoutMs;
      this.pending.set(requestId, {
        sense,
        startedAt,
        resolve,
        timeoutMs,
        deadline,
        timedOut: false,
        killTimer: null,
      });
      this.watchDeadline(deadline);
      this.send({
        cmd: ParentCommand.Compute,
        requestId,
        value: { sense, trigger, now: now ?? startedAt },
      });
    });
  }

  whenIdle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** SIGKILL now; in-flight computes resolve `crashed` (reason `killed`). */
  kill(culprit: string | null = null): void {
    this.killedFor ??= { culprit };
    this.signal("SIGKILL");
  }

  protected initMessage(): ParentMessage {
    return { cmd: ParentCommand.Init, value: this.options.init };
  }

  protected receive(message: unknown): void {
    if (isWorkerMessage(message)) this.handle(message);
  }

  protected requestShutdown(): number {
    this.send({ cmd: ParentCommand.Shutdown });
    return this.timings.stopGraceMs;
  }

  protected startError(reason: string): Error {
    return new WorkerInitError(this.group, reason);
  }

  protected describeExit(exit: ProcessExit): WorkerExitInfo {
    const reason = exit.initFailed
      ? "init-failed"
      : this.killedFor !== null
        ? "killed"
        : exit.stopped
          ? "stopped"
          : "exited";
    const { pid, code, signal, fatal, uptimeMs } = exit;
    return { group: this.group, pid, code, signal, reason, fatal, uptimeMs };
  }

  /** Computes in flight end `crashed` (or `unavailable` after a stop), saying why. */
  protected override onExited(info: WorkerExitInfo): void {
    const endedAt = this.options.clock.now();
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    this.deadlineAt = Infinity;
    for (const entry of this.pending.values()) {
      if (entry.killTimer !== null) clearTimeout(entry.killTimer);
      if (entry.timedOut) continue;
      const { kind, error } = exitError(info, {
        sense: entry.sense,
        stopReason: this.stopReason,
        culprit: info.reason === "killed" ? (this.killedFor?.culprit ?? null) : null,
        abortGraceMs: this.timings.abortGraceMs,
      });
      entry.resolve(failedOutcome(kind, error, entry.startedAt, endedAt));
    }
    this.pending.clear();
    this.notifyIdle();
  }

  private handle(message: WorkerMessage): void {
    switch (message.cmd) {
      case WorkerCommand.Ready:
        this.markReady(message.value.failures);
        return;
      case WorkerCommand.InitFailed:
        this.failInit(`its init failed: ${message.err.message}`, true);
        return;
      case WorkerCommand.Result:
        this.settle(message.requestId, (entry, endedAt) => {
          const route = parseWorkerRoute(message.value);
          return route instanceof Error
            ? failedOutcome("error", route, entry.startedAt, endedAt)
            : { ok: true, route, startedAt: entry.startedAt, endedAt };
        });
        return;
      case WorkerCommand.Failed:
        if (message.requestId === undefined) {
          this.fatal = message.err;
          return;
        }
        this.settle(message.requestId, (entry, endedAt) =>
          failedOutcome("error", message.err, entry.startedAt, endedAt),
        );
        return;
      case WorkerCommand.Log:
        this.options.listener.log(message.value);
        return;
    }
  }

  /** Gives a compute its outcome, unless it timed out already (then it only stops waiting). */
  private settle(
    requestId: number,
    outcome: (entry: Pending, endedAt: number) => ComputeOutcome,
  ): void {
    const entry = this.pending.get(requestId);
    if (entry === undefined) return;
    if (entry.killTimer !== null) clearTimeout(entry.killTimer);
    this.pending.delete(requestId);
    if (!entry.timedOut) entry.resolve(outcome(entry, this.options.clock.now()));
    this.notifyIdle();
  }

  /**
   * One timer for the timeouts of all computes in flight, at the earliest deadline, instead of a
   * timer per compute: starting and settling a compute then costs no timer object, no timer-list
   * insert and no removal (they showed on the signal benchmark's hot path). When it fires it
   * times out what is due and waits for the next deadline; a compute settled meanwhile simply
   * is no longer in `pending`. At most one compute per sense of the group is in flight.
   */
  private watchDeadline(deadline: number): void {
    if (deadline >= this.deadlineAt) return;
    if (this.deadlineTimer !== null) clearTimeout(this.deadlineTimer);
    this.deadlineAt = deadline;
    const delay = Math.ceil(deadline - performance.now());
    this.deadlineTimer = setTimeout(
      this.checkDeadlines,
      Math.min(MAX_TIMER_MS, Math.max(0, delay)),
    );
  }

  private readonly checkDeadlines = (): void => {
    this.deadlineTimer = null;
    this.deadlineAt = Infinity;
    const now = performance.now();
    const due: number[] = [];
    let next = Infinity;
    for (const [requestId, entry] of this.pending) {
      if (entry.timedOut) continue;
      if (entry.deadline <= now) due.push(requestId);
      else if (entry.deadline < next) next = entry.deadline;
    }
    if (next !== Infinity) this.watchDeadline(next);
    for (const requestId of due) this.onTimeout(requestId);
  };

  private onTimeout(requestId: number): void {
    const entry = this.pending.get(requestId);
    if (entry === undefined) return;
    entry.timedOut = true;
    const error = new ComputeTimeoutError(entry.sense, entry.timeoutMs);
    this.send({
      cmd: ParentCommand.Abort,
      requestId,
      value: { kind: "timeout", reason: error.message },
    });
    entry.resolve(failedOutcome("timeout", error, entry.startedAt, this.options.clock.now()));
    // SPEC §5: one second to settle after the abort, else the whole worker goes.
    entry.killTimer = setTimeout(() => this.kill(entry.sense), this.timings.abortGraceMs);
  }

  private notifyIdle(): void {
    if (this.pending.size > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
