import type { ChildProcess, Serializable } from "node:child_process";
import type {
  ForkedWorkerListener,
  ForkedWorkerOptions,
  ForkedWorkerState,
  ForkedWorkerTimings,
  ProcessExit,
} from "./forked-worker.types.js";
import { explainStderr, forEachLine } from "./output-lines.js";
import { serializeError, type SerializedError } from "./serialized-error.js";
import { forEachMessage, MessageBatcher, type MessageEnvelope } from "./worker-messages.js";

/** How many stderr lines are kept to explain a worker that dies before it is ready. */
const STDERR_TAIL = 30;
/** How long to wait for a dead worker's last stderr lines before reporting its failed start. */
const STDERR_DRAIN_MS = 200;

/**
 * One forked worker process: the fork, the init handshake (Init → Ready, a timeout, a failed
 * init that kills the worker), its stdout and stderr as lines, and a stop that escalates from
 * the protocol's Shutdown to SIGTERM to SIGKILL. A subclass speaks one worker's protocol: it
 * names the messages, handles what the worker sends and describes the exit to its owner.
 *
 * @typeParam TParentMessage what the daemon sends to the worker
 * @typeParam TReady what start() resolves with once the worker is ready
 * @typeParam TExit what the owner learns when the process is gone
 */
export abstract class ForkedWorkerHost<TParentMessage extends MessageEnvelope, TReady, TExit> {
  private child: ChildProcess | null = null;
  private stateValue: ForkedWorkerState = "new";
  private readyAt: number | null = null;
  private initFailed = false;
  private stopReasonValue = "";
  /** Set by the subclass when the worker reports a fatal error before it exits. */
  protected fatal: SerializedError | null = null;
  private readonly stderrTail: string[] = [];
  private startWaiter: { resolve: (value: TReady) => void; reject: (error: Error) => void } | null =
    null;
  private initTimer: NodeJS.Timeout | null = null;
  private stopTimers: NodeJS.Timeout[] = [];
  private exitInfo: TExit | null = null;
  private readonly exitWaiters: ((info: TExit) => void)[] = [];
  /** What is sent during one turn of the event loop leaves as one message. */
  private readonly outbox = new MessageBatcher<unknown>((message) => {
    const child = this.child;
    if (child === null || !child.connected) return;
    // A closed channel means the process is exiting; `exit` settles whatever was in flight.
    child.send(message as Serializable, () => undefined);
  });

  protected constructor(
    private readonly forking: ForkedWorkerOptions & { listener: ForkedWorkerListener<TExit> },
    private readonly baseTimings: ForkedWorkerTimings,
  ) {}

  get state(): ForkedWorkerState {
    return this.stateValue;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Why stop() was called, or "" if it was not. */
  protected get stopReason(): string {
    return this.stopReasonValue;
  }

  /** The message that asks the worker to initialise (answered by Ready or InitFailed). */
  protected abstract initMessage(): TParentMessage;

  /** Handles whatever the worker sent (any value: check its shape). */
  protected abstract receive(message: unknown): void;

  /** Sends the protocol's Shutdown; returns how long the worker may take before SIGTERM. */
  protected abstract requestShutdown(reason: string): number;

  /** The error start() rejects with; `reportedByWorker` when the worker said its init failed. */
  protected abstract startError(reason: string, reportedByWorker: boolean): Error;

  /** What the owner learns of the exit. */
  protected abstract describeExit(exit: ProcessExit): TExit;

  /** Called once the process is gone, before the owner hears of it. */
  protected onExited(_info: TExit): void {
    // Nothing by default: hosts with requests in flight settle them here.
  }

  start(): Promise<TReady> {
    if (this.stateValue !== "new") {
      return Promise.reject(this.startError("this worker host was already started", false));
    }
    this.stateValue = "starting";
    const promise = new Promise<TReady>((resolve, reject) => {
      this.startWaiter = { resolve, reject };
    });
    let child: ChildProcess;
    try {
      child = this.forking.forker.fork(this.forking.workerFile, {
        serialization: "json",
        // The daemon's own flags (a test runner's loaders, inspectors) must not reach workers.
        execArgv: [],
        env: this.forking.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      });
    } catch (error) {
      this.fatal = serializeError(error);
      this.onExit(null, null);
      return promise;
    }
    this.child = child;
    child.on("message", (message: unknown) => forEachMessage(message, (one) => this.receive(one)));
    child.on("exit", (code, signal) => this.onExit(code, signal));
    child.on("error", (error) => {
      // A process that could not be spawned never emits `exit`; other errors (a failed send)
      // are followed by `exit` or are harmless.
      if (child.pid === undefined) {
        this.fatal ??= serializeError(error);
        this.onExit(null, null);
      }
    });
    const { listener } = this.forking;
    forEachLine(child.stdout, (line) => listener.output("stdout", line));
    forEachLine(child.stderr, (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
      listener.output("stderr", line);
    });
    const { initTimeoutMs } = this.baseTimings;
    this.initTimer = setTimeout(() => {
      this.failInit(`it did not answer its init within ${initTimeoutMs} ms`);
    }, initTimeoutMs);
    this.send(this.initMessage());
    return promise;
  }

  /** Shutdown, then SIGTERM, then SIGKILL; resolves when the process is gone. Idempotent. */
  stop(reason: string): Promise<TExit> {
    if (this.exitInfo !== null) return Promise.resolve(this.exitInfo);
    const exited = new Promise<TExit>((resolve) => this.exitWaiters.push(resolve));
    if (this.stateValue === "stopping") return exited;
    this.stopReasonValue = reason;
    if (this.child === null) {
      this.onExit(null, null);
      return exited;
    }
    this.stateValue = "stopping";
    const termAfterMs = this.requestShutdown(reason);
    this.stopTimers.push(
      setTimeout(() => {
        this.signal("SIGTERM");
        this.stopTimers.push(
          setTimeout(() => this.signal("SIGKILL"), this.baseTimings.killGraceMs),
        );
      }, termAfterMs),
    );
    return exited;
  }

  /** The worker answered Ready: start() resolves with `value`. */
  protected markReady(value: TReady): void {
    if (this.stateValue !== "starting") return;
    this.clearInitTimer();
    this.stateValue = "ready";
    this.readyAt = this.forking.clock.now();
    this.startWaiter?.resolve(value);
    this.startWaiter = null;
  }

  /** The worker will not become ready: start() rejects and the worker goes at once. */
  protected failInit(reason: string, reportedByWorker = false): void {
    if (this.stateValue !== "starting") return;
    this.initFailed = true;
    // Kept for the exit report: the SIGKILL that follows does not say why the worker went.
    this.fatal ??= { name: "WorkerInitError", message: reason };
    this.rejectStart(reason, reportedByWorker);
    // A failed init leaves nothing to save.
    this.signal("SIGKILL");
  }

  protected signal(signal: NodeJS.Signals): void {
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    try {
      child.kill(signal);
    } catch {
      // Already gone: `exit` follows.
    }
  }

  /** Sends `message` at the end of this turn, with whatever else is sent meanwhile. */
  protected send(message: TParentMessage): void {
    this.outbox.push(message);
  }

  private rejectStart(reason: string, reportedByWorker: boolean): void {
    this.clearInitTimer();
    this.startWaiter?.reject(this.startError(reason, reportedByWorker));
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
      this.rejectStart(`it ${how} before it was ready${said === "" ? "" : `: ${said}`}`, false);
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

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exitInfo !== null) return;
    const stopped = this.stateValue === "stopping" || this.stopReasonValue !== "";
    this.stateValue = "exited";
    this.clearInitTimer();
    for (const timer of this.stopTimers) clearTimeout(timer);
    this.stopTimers = [];
    const info = this.describeExit({
      pid: this.child?.pid ?? null,
      code,
      signal,
      stopped,
      initFailed: this.initFailed,
      fatal: this.fatal,
      uptimeMs: this.readyAt === null ? null : this.forking.clock.now() - this.readyAt,
    });
    this.exitInfo = info;
    if (this.startWaiter !== null) this.rejectStartAfterExit(code, signal);
    this.onExited(info);
    this.forking.listener.exit(info);
    for (const resolve of this.exitWaiters.splice(0)) resolve(info);
  }

  private clearInitTimer(): void {
    if (this.initTimer !== null) clearTimeout(this.initTimer);
    this.initTimer = null;
  }
}
