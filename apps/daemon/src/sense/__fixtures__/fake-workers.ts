import type { CompiledSense, SenseTrigger } from "@nerve/core";
import type { ExitFollowUp } from "../../process/worker-exit.js";
import { SenseCompileError } from "../errors/sense-compile.error.js";
import type { SenseBuild } from "../sense-compiler.js";
import type { GroupReporter, SensePhase } from "../sense-reporter.js";
import type { ComputeOutcome, SerializedError } from "../sense-runtime.types.js";
import {
  SenseWorkerFactory,
  type SenseWorkerHandle,
  type WorkerExitInfo,
  type WorkerHostListener,
} from "../worker-host.types.js";
import type { SenseInitFailure, WorkerInit, WorkerLogLine } from "../worker/messages.js";

let nextPid = 1000;

/** A worker that does what the spec tells it to, with no process behind it. */
export class FakeWorker implements SenseWorkerHandle {
  readonly pid = nextPid++;
  inFlight = 0;
  stopped: string | null = null;
  /** Whether start() was called (the fork, for a real worker). */
  started = false;
  readyAt: number | null = null;
  readonly computes: string[] = [];
  private ready!: { resolve: (f: SenseInitFailure[]) => void; reject: (e: Error) => void };
  private exited = false;

  constructor(
    readonly init: WorkerInit,
    private readonly listener: WorkerHostListener,
  ) {}

  start(): Promise<SenseInitFailure[]> {
    this.started = true;
    return new Promise((resolve, reject) => {
      this.ready = { resolve, reject };
    });
  }

  /** Answers the init. */
  becomeReady(failures: SenseInitFailure[] = []): void {
    this.readyAt = Date.now();
    this.ready.resolve(failures);
  }

  compute(sense: string, _trigger: SenseTrigger, _timeoutMs: number): Promise<ComputeOutcome> {
    this.computes.push(sense);
    const now = Date.now();
    return Promise.resolve({ ok: true, route: { kind: "none" }, startedAt: now, endedAt: now });
  }

  whenIdle(): Promise<void> {
    return Promise.resolve();
  }

  /** Dies on its own (or as told). */
  die(info: Partial<WorkerExitInfo> = {}): void {
    if (this.exited) return;
    this.exited = true;
    this.ready.reject(new Error("died"));
    this.listener.exit({
      group: this.init.group,
      pid: this.pid,
      code: 1,
      signal: null,
      reason: "exited",
      fatal: null,
      uptimeMs: this.readyAt === null ? null : Date.now() - this.readyAt,
      ...info,
    });
  }

  stop(reason: string): Promise<WorkerExitInfo> {
    this.stopped = reason;
    const info: WorkerExitInfo = {
      group: this.init.group,
      pid: this.pid,
      code: 0,
      signal: null,
      reason: "stopped",
      fatal: null,
      uptimeMs: null,
    };
    if (!this.exited) {
      this.exited = true;
      this.listener.exit(info);
    }
    return Promise.resolve(info);
  }
}

/** Creates FakeWorkers and keeps them in order; `autoReady` answers their init at once. */
export class FakeWorkerFactory extends SenseWorkerFactory {
  readonly workers: FakeWorker[] = [];
  autoReady = true;
  initFailures: SenseInitFailure[] = [];

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  create(init: WorkerInit, listener: WorkerHostListener): FakeWorker {
    const worker = new FakeWorker(init, listener);
    this.workers.push(worker);
    if (this.autoReady) queueMicrotask(() => worker.becomeReady(this.initFailures));
    return worker;
  }

  get last(): FakeWorker {
    const worker = this.workers.at(-1);
    if (worker === undefined) throw new Error("no worker was created");
    return worker;
  }
}

/** Compiles nothing: every sense builds, except those listed in `broken`. */
export class FakeCompiler {
  readonly broken = new Set<string>();
  readonly forced: string[] = [];

  compile(sense: CompiledSense, options: { force?: boolean } = {}): Promise<SenseBuild> {
    if (options.force === true) this.forced.push(sense.name);
    const source = sense.computeFile ?? `senses/${sense.name}/compute.ts`;
    if (this.broken.has(sense.name)) {
      const error = new SenseCompileError(sense.name, [
        { file: source, line: 1, col: 1, text: "Unexpected end of file" },
      ]);
      return Promise.resolve({ ok: false, sense: sense.name, source, error });
    }
    return Promise.resolve({
      ok: true,
      sense: sense.name,
      source,
      module: `/build/${sense.name}.mjs`,
      cached: false,
    });
  }

  compileAll(
    senses: readonly CompiledSense[],
    options: { force?: Iterable<string> } = {},
  ): Promise<SenseBuild[]> {
    const force = new Set(options.force);
    return Promise.all(
      senses.map((sense) => this.compile(sense, { force: force.has(sense.name) })),
    );
  }
}

/** Keeps what a group reports. */
export class RecordingReporter implements GroupReporter {
  readonly exits: { info: WorkerExitInfo; next: ExitFollowUp }[] = [];
  readonly unavailable: { sense: string; phase: SensePhase; error: SerializedError }[] = [];
  readonly logs: WorkerLogLine[] = [];

  workerExit(info: WorkerExitInfo, next: ExitFollowUp): void {
    this.exits.push({ info, next });
  }

  senseUnavailable(sense: string, phase: SensePhase, error: SerializedError): void {
    this.unavailable.push({ sense, phase, error });
  }

  senseLog(line: WorkerLogLine): void {
    this.logs.push(line);
  }

  workerOutput(): void {}
}
