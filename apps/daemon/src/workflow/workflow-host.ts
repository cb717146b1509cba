import type { ChildProcess } from "node:child_process";
import type { ThreadMessage } from "@nerve/core";
import { forEachLine } from "../sense/output-lines.js";
import type { ProcessForker } from "../sense/process-forker.js";
import type { SerializedError } from "../sense/sense-runtime.types.js";
import { explainStderr } from "../sense/worker-host.js";
import { serializeError } from "../sense/worker/messages.js";
import { WorkflowWorkerInitError } from "./errors/worker.error.js";
import type {
  WorkflowExitReason,
  WorkflowHostListener,
  WorkflowWorkerExit,
  WorkflowWorkerHandle,
} from "./workflow-host.types.js";
import {
  isWorkflowWorkerMessage,
  WorkflowParentCommand,
  WorkflowWorkerCommand,
  type WorkflowParentMessage,
  type WorkflowWorkerInit,
  type WorkflowWorkerMessage,
} from "./worker/messages.js";

/** Timings of a workflow worker host. */
export interface WorkflowHostTimings {
  /** Longest wait for Ready after the fork. Default 10 s. */
  initTimeoutMs: number;
  /** After Shutdown, how long roles may take to settle before the worker exits. Default 1 s. */
  shutdownGraceMs: number;
  /** After Shutdown, how long until SIGTERM. Default 2 s. */
  stopGraceMs: number;
  /** After SIGTERM, how long until SIGKILL. Default 1 s. */
  killGraceMs: number;
}

export const DEFAULT_WORKFLOW_HOST_TIMINGS: WorkflowHostTimings = {
  initTimeoutMs: 10_000,
  shutdownGraceMs: 1_000,
  stopGraceMs: 2_000,
  killGraceMs: 1_000,
};

export interface WorkflowHostOptions {
  init: WorkflowWorkerInit;
  /** The worker entry (see workflowWorkerFile) or its bundle. */
  workerFile: string;
  forker: ProcessForker;
  clock: { now(): number };
  listener: WorkflowHostListener;
  env?: NodeJS.ProcessEnv;
  timings?: Partial<WorkflowHostTimings>;
}

/**
 * `new` → start() → `starting` → Ready → `ready` → stop() → `stopping` → `exited`.
 * Any state ends in `exited` when the process dies; a host is never started twice.
 */
export type WorkflowHostState = "new" | "starting" | "ready" | "stopping" | "exited";

/** How many stderr lines are kept to explain a worker that dies before it is ready. */
const STDERR_TAIL = 30;
/** How long to wait for a dead worker's last stderr lines before reporting its failed start. */
const STDERR_DRAIN_MS = 200;

/**
 * One forked worker process of a workflow: init handshake, the run / message / ack exchange,
 * and a stop that escalates from Shutdown to SIGTERM to SIGKILL. It keeps no run state: its
 * owner (WorkflowSupervisor) knows which runs it gave to which worker. A host whose init failed
 * is never reused.
 */
export class WorkflowHost implements WorkflowWorkerHandle {
  readonly workflow: string;
  private child: ChildProcess | null = null;
  private stateValue: WorkflowHostState = "new";
  private readonly timings: WorkflowHostTimings;
  private readyAt: number | null = null;
  private initFailure: { reason: string; definitionFault: boolean } | null = null;
  private stopReason = "";
  private fatal: SerializedError | null = null;
  private readonly stderrTail: string[] = [];
  private startWaiter: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private initTimer: NodeJS.Timeout | null = null;
  private stopTimers: NodeJS.Timeout[] = [];
  private exitInfo: WorkflowWorkerExit | null = null;
  private readonly exitWaiters: ((info: WorkflowWorkerExit) => void)[] = [];

  constructor(private readonly options: WorkflowHostOptions) {
    this.workflow = options.init.workflow;
    this.timings = { ...DEFAULT_WORKFLOW_HOST_TIMINGS, ...options.timings };
  }

  get state(): WorkflowHostState {
    return this.stateValue;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): Promise<void> {
    if (this.stateValue !== "new") {
      return Promise.reject(
        new WorkflowWorkerInitError(this.workflow, "this worker host was already started", false),
      );
    }
    this.stateValue = "starting";
    const promise = new Promise<void>((resolve, reject) => {
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
    child.on("message", (message: unknown) => {
      if (isWorkflowWorkerMessage(message)) this.handle(message);
    });
    child.on("exit", (code, signal) => this.onExit(code, signal));
    child.on("error", (error) => {
      // A process that could not be spawned never emits `exit`; other errors are followed by it.
      if (child.pid === undefined) {
        this.fatal ??= serializeError(error);
        this.onExit(null, null);
      }
    });
    forEachLine(child.stdout, (line) => this.options.listener.output("stdout", line));
    forEachLine(child.stderr, (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
      this.options.listener.output("stderr", line);
    });
    this.initTimer = setTimeout(() => {
      this.failInit(`it did not answer its init within ${this.timings.initTimeoutMs} ms`, false);
    }, this.timings.initTimeoutMs);
    this.send({ cmd: WorkflowParentCommand.Init, value: this.options.init });
    return promise;
  }

  run(runId: string, messages: ThreadMessage[]): void {
    this.send({ cmd: WorkflowParentCommand.Run, value: { runId, messages } });
  }

  ack(requestId: number): void {
    this.send({ cmd: WorkflowParentCommand.Ack, requestId });
  }

  stop(reason: string): Promise<WorkflowWorkerExit> {
    if (this.exitInfo !== null) return Promise.resolve(this.exitInfo);
    const exited = new Promise<WorkflowWorkerExit>((resolve) => this.exitWaiters.push(resolve));
    if (this.stateValue === "stopping") return exited;
    this.stopReason = reason;
    if (this.child === null) {
      this.onExit(null, null);
      return exited;
    }
    this.stateValue = "stopping";
    const graceMs = this.timings.shutdownGraceMs;
    this.send({ cmd: WorkflowParentCommand.Shutdown, value: { reason, graceMs } });
    this.stopTimers.push(
      setTimeout(
        () => {
          this.signal("SIGTERM");
          this.stopTimers.push(setTimeout(() => this.signal("SIGKILL"), this.timings.killGraceMs));
        },
        Math.max(this.timings.stopGraceMs, graceMs),
      ),
    );
    return exited;
  }

  private handle(message: WorkflowWorkerMessage): void {
    const { listener } = this.options;
    switch (message.cmd) {
      case WorkflowWorkerCommand.Ready:
        if (this.stateValue !== "starting") return;
        this.clearInitTimer();
        this.stateValue = "ready";
        this.readyAt = this.options.clock.now();
        this.startWaiter?.resolve();
        this.startWaiter = null;
        return;
      case WorkflowWorkerCommand.InitFailed:
        this.failInit(message.err.message, true);
        return;
      case WorkflowWorkerCommand.Message:
        listener.message(message.value.runId, message.requestId, message.value.message);
        return;
      case WorkflowWorkerCommand.End:
        listener.end(message.value.runId, message.value.end);
        return;
      case WorkflowWorkerCommand.Log:
        listener.log(message.value);
        return;
      case WorkflowWorkerCommand.Failed:
        this.fatal = message.err;
        return;
    }
  }

  private failInit(reason: string, definitionFault: boolean): void {
    if (this.stateValue !== "starting") return;
    this.initFailure = { reason, definitionFault };
    this.rejectStart(reason, definitionFault);
    // A failed init leaves nothing to save: the worker goes at once.
    this.signal("SIGKILL");
  }

  private rejectStart(reason: string, definitionFault: boolean): void {
    this.clearInitTimer();
    this.startWaiter?.reject(new WorkflowWorkerInitError(this.workflow, reason, definitionFault));
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
    const wasStopping = this.stateValue === "stopping" || this.stopReason !== "";
    this.stateValue = "exited";
    this.clearInitTimer();
    for (const timer of this.stopTimers) clearTimeout(timer);
    this.stopTimers = [];
    const reason: WorkflowExitReason =
      this.initFailure !== null ? "init-failed" : wasStopping ? "stopped" : "exited";
    const info: WorkflowWorkerExit = {
      workflow: this.workflow,
      pid: this.child?.pid ?? null,
      code,
      signal,
      reason,
      fatal: this.fatal,
      uptimeMs: this.readyAt === null ? null : this.options.clock.now() - this.readyAt,
    };
    this.exitInfo = info;
    if (this.startWaiter !== null) this.rejectStartAfterExit(code, signal);
    this.options.listener.exit(info);
    for (const resolve of this.exitWaiters.splice(0)) resolve(info);
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

  private send(message: WorkflowParentMessage): void {
    const child = this.child;
    if (child === null || !child.connected) return;
    // A closed channel means the process is exiting; `exit` tells the owner.
    child.send(message, () => undefined);
  }
}
