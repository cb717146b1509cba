import type { ChildProcess } from "node:child_process";
import type { SenseTrigger } from "@nerve/core";
import { exitError, failedOutcome, parseWorkerRoute } from "./compute-outcome.js";
import {
  ComputeTimeoutError,
  SenseUnavailableError,
  WorkerInitError,
} from "./errors/worker.error.js";
import { explainStderr, forEachLine } from "./output-lines.js";
import type { ComputeOutcome, SerializedError } from "./sense-runtime.types.js";
import {
  isWorkerMessage,
  ParentCommand,
  serializeError,
  WorkerCommand,
  type ParentMessage,
  type SenseInitFailure,
  type WorkerMessage,
} from "./worker/messages.js";
import {
  DEFAULT_WORKER_TIMINGS,
  type SenseWorkerHandle,
  type WorkerExitInfo,
  type WorkerExitReason,
  type WorkerHostOptions,
  type WorkerHostState,
  type WorkerHostTimings,
} from "./worker-host.types.js";

interface Pending {
  sense: string;
  startedAt: number;
  resolve: (outcome: ComputeOutcome) => void;
  timer: NodeJS.Timeout;
  /** Set once the compute timed out: the outcome is given, the worker is killed if it hangs on. */
  timedOut: boolean;
}

// Kept here too: other hosts of forked workers import it from this module.
export { explainStderr } from "./output-lines.js";

/** How many stderr lines are kept to explain a worker that dies before it is ready. */
const STDERR_TAIL = 30;
/** How long to wait for a dead worker's last stderr lines before reporting its failed start. */
const STDERR_DRAIN_MS = 200;

/**
 * One forked worker process of a sense group: init handshake, request/response correlation,
 * timeouts with abort and kill, and a stop that escalates from Shutdown to SIGTERM to SIGKILL.
 * Unexpected exits resolve every compute in flight as `crashed`. A host whose init failed is
 * never reused: its owner creates a new one.
 */
export class WorkerHost implements SenseWorkerHandle {
  readonly group: string;
  private child: ChildProcess | null = null;
  private stateValue: WorkerHostState = "new";
  private readonly timings: WorkerHostTimings;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private readyAt: number | null = null;
  private killReason: { reason: WorkerExitReason; culprit: string | null } | null = null;
  private stopReason = "";
  private fatal: SerializedError | null = null;
  private readonly stderrTail: string[] = [];
  private startWaiter: {
    resolve: (failures: SenseInitFailure[]) => void;
    reject: (error: Error) => void;
  } | null = null;
  private initTimer: NodeJS.Timeout | null = null;
  private stopTimers: NodeJS.Timeout[] = [];
  private exitInfo: WorkerExitInfo | null = null;
  private readonly exitWaiters: ((info: WorkerExitInfo) => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkerHostOptions) {
    this.group = options.init.group;
    this.timings = { ...DEFAULT_WORKER_TIMINGS, ...options.timings };
  }

  get state(): WorkerHostState {
    return this.stateValue;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get ready(): boolean {
    return this.stateValue === "ready";
  }

  get inFlight(): number {
    return this.pending.size;
  }

  start(): Promise<SenseInitFailure[]> {
    if (this.stateValue !== "new") {
      return Promise.reject(
        new WorkerInitError(this.group, "this worker host was already started"),
      );
    }
    this.stateValue = "starting";
    const promise = new Promise<SenseInitFailure[]>((resolve, reject) => {
      this.startWaiter = { resolve, reject };
    });
    let child: ChildProcess;
    try {
      child = this.options.forker.fork(this.options.workerFile, {
        serialization: "json",
        // The daemon's own flags (a test runner's loaders, inspectors) must not reach workers.
        execArgv: [],
        env: this.options.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
    } catch (error) {
      this.fatal = serializeError(error);
      this.onExit(null, null);
      return promise;
    }
    this.child = child;
    child.on("message", (message: unknown) => this.onMessage(message));
    child.on("exit", (code, signal) => this.onExit(code, signal));
    child.on("error", (error) => this.onError(error));
    forEachLine(child.stdout, (line) => this.options.listener.output("stdout", line));
    forEachLine(child.stderr, (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
      this.options.listener.output("stderr", line);
    });
    this.initTimer = setTimeout(() => {
      this.failInit(`it did not answer its init within ${this.timings.initTimeoutMs} ms`);
    }, this.timings.initTimeoutMs);
    this.send({ cmd: ParentCommand.Init, value: this.options.init });
    return promise;
  }

  compute(sense: string, trigger: SenseTrigger, timeoutMs: number): Promise<ComputeOutcome> {
    const startedAt = this.options.clock.now();
    if (this.stateValue !== "ready") {
      const error = new SenseUnavailableError(
        sense,
        `the worker of group ${this.group} is ${this.stateValue === "exited" ? "gone" : this.stateValue}`,
      );
      return Promise.resolve(failedOutcome("unavailable", error, startedAt, startedAt));
    }
    const requestId = this.nextRequestId++;
    return new Promise<ComputeOutcome>((resolve) => {
      const timer = setTimeout(() => this.onTimeout(requestId, timeoutMs), timeoutMs);
      this.pending.set(requestId, { sense, startedAt, resolve, timer, timedOut: false });
      this.send({ cmd: ParentCommand.Compute, requestId, value: { sense, trigger } });
    });
  }

  whenIdle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(reason: string): Promise<WorkerExitInfo> {
    if (this.exitInfo !== null) return Promise.resolve(this.exitInfo);
    const exited = new Promise<WorkerExitInfo>((resolve) => this.exitWaiters.push(resolve));
    if (this.stateValue === "stopping") return exited;
    this.stopReason = reason;
    if (this.child === null) {
      this.onExit(null, null);
      return exited;
    }
    this.stateValue = "stopping";
    this.send({ cmd: ParentCommand.Shutdown });
    this.stopTimers.push(
      setTimeout(() => {
        this.signal("SIGTERM");
        this.stopTimers.push(setTimeout(() => this.signal("SIGKILL"), this.timings.killGraceMs));
      }, this.timings.stopGraceMs),
    );
    return exited;
  }

  /** SIGKILL now; in-flight computes resolve `crashed` (reason `killed`). */
  kill(culprit: string | null = null): void {
    this.killReason ??= { reason: "killed", culprit };
    this.signal("SIGKILL");
  }

  private onMessage(message: unknown): void {
    if (!isWorkerMessage(message)) return;
    this.handle(message);
  }

  private handle(message: WorkerMessage): void {
    switch (message.cmd) {
      case WorkerCommand.Ready: {
        if (this.stateValue !== "starting") return;
        this.clearInitTimer();
        this.stateValue = "ready";
        this.readyAt = this.options.clock.now();
        this.startWaiter?.resolve(message.value.failures);
        this.startWaiter = null;
        return;
      }
      case WorkerCommand.InitFailed:
        this.failInit(`its init failed: ${message.err.message}`);
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
    clearTimeout(entry.timer);
    this.pending.delete(requestId);
    if (!entry.timedOut) entry.resolve(outcome(entry, this.options.clock.now()));
    this.notifyIdle();
  }

  private onTimeout(requestId: number, timeoutMs: number): void {
    const entry = this.pending.get(requestId);
    if (entry === undefined) return;
    entry.timedOut = true;
    const error = new ComputeTimeoutError(entry.sense, timeoutMs);
    this.send({
      cmd: ParentCommand.Abort,
      requestId,
      value: { kind: "timeout", reason: error.message },
    });
    entry.resolve(failedOutcome("timeout", error, entry.startedAt, this.options.clock.now()));
    // SPEC §5: one second to settle after the abort, else the whole worker goes.
    entry.timer = setTimeout(() => this.kill(entry.sense), this.timings.abortGraceMs);
  }

  private failInit(reason: string): void {
    if (this.stateValue !== "starting") return;
    this.killReason = { reason: "init-failed", culprit: null };
    this.rejectStart(reason);
    this.signal("SIGKILL");
  }

  private rejectStart(reason: string): void {
    this.clearInitTimer();
    this.startWaiter?.reject(new WorkerInitError(this.group, reason));
    this.startWaiter = null;
  }

  /** Rejects start(), quoting the fatal report or the last stderr lines once stderr is read. */
  private rejectStartAfterExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how =
      signal !== null
        ? `was killed by ${signal}`
        : code !== null
          ? `exited with code ${code}`
          : "could not be started";
    const finish = (): void => {
      const said = this.fatal?.message ?? explainStderr(this.stderrTail);
      this.rejectStart(`it ${how} before it was ready${said === "" ? "" : `: ${said}`}`);
    };
    const stderr = this.child?.stderr;
    if (this.fatal !== null || stderr === null || stderr === undefined || stderr.readableEnded) {
      finish();
      return;
    }
    const timer = setTimeout(finish, STDERR_DRAIN_MS);
    stderr.once("close", () => {
      clearTimeout(timer);
      finish();
    });
  }

  private onError(error: Error): void {
    // A process that could not be spawned never emits `exit`; other errors (a failed send)
    // are followed by `exit` or are harmless.
    if (this.child?.pid === undefined) {
      this.fatal ??= serializeError(error);
      this.onExit(null, null);
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitInfo !== null) return;
    const wasStopping = this.stateValue === "stopping" || this.stopReason !== "";
    this.stateValue = "exited";
    this.clearInitTimer();
    for (const timer of this.stopTimers) clearTimeout(timer);
    this.stopTimers = [];
    const reason: WorkerExitReason =
      this.killReason?.reason ?? (wasStopping ? "stopped" : "exited");
    const info: WorkerExitInfo = {
      group: this.group,
      pid: this.child?.pid ?? null,
      code,
      signal,
      reason,
      fatal: this.fatal,
      uptimeMs: this.readyAt === null ? null : this.options.clock.now() - this.readyAt,
    };
    this.exitInfo = info;
    if (this.startWaiter !== null) this.rejectStartAfterExit(code, signal);
    const endedAt = this.options.clock.now();
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      if (entry.timedOut) continue;
      const { kind, error } = exitError(info, {
        sense: entry.sense,
        stopReason: this.stopReason,
        culprit: this.killReason?.culprit ?? null,
        abortGraceMs: this.timings.abortGraceMs,
      });
      entry.resolve(failedOutcome(kind, error, entry.startedAt, endedAt));
    }
    this.pending.clear();
    this.notifyIdle();
    this.options.listener.exit(info);
    for (const resolve of this.exitWaiters.splice(0)) resolve(info);
  }

  private notifyIdle(): void {
    if (this.pending.size > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private clearInitTimer(): void {
    if (this.initTimer !== null) clearTimeout(this.initTimer);
    this.initTimer = null;
  }

  private signal(signal: NodeJS.Signals): void {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    try {
      child.kill(signal);
    } catch {
      // Already gone: `exit` follows.
    }
  }

  private send(message: ParentMessage): void {
    const child = this.child;
    if (child === null || !child.connected) return;
    // A closed channel means the process is exiting; `exit` settles whatever was in flight.
    child.send(message, () => undefined);
  }
}
