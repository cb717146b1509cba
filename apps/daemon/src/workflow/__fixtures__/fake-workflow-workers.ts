import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CompiledWorkflow, RoleMessage, ThreadMessage } from "@nerve/core";
import { LogStore, RunStore, type WorkflowRunRecord } from "@nerve/store";
import { WorkflowCompileError, WorkflowWorkerInitError } from "../errors/worker.error.js";
import { RunJournal, type RunLaunch } from "../run-journal.js";
import type { WorkflowBuild } from "../workflow-compiler.js";
import {
  WorkflowWorkerFactory,
  type WorkflowHostListener,
  type WorkflowWorkerExit,
  type WorkflowWorkerHandle,
} from "../workflow-host.types.js";
import type { WorkflowEvents, WorkflowExitFollowUp } from "../workflow-reporter.js";
import { WorkflowSupervisor, type WorkflowSupervisorDeps } from "../workflow-supervisor.js";
import type { ThreadEnd, WorkflowWorkerInit } from "../worker/messages.js";
import { DEFAULT_WORKFLOW_RESTART_POLICY } from "../workflow-engine.options.js";

let nextPid = 5000;

/** A workflow worker with no process behind it: the spec plays its threads. */
export class FakeWorkflowWorker implements WorkflowWorkerHandle {
  readonly pid = nextPid++;
  /** Runs handed to it, with the messages they were given. */
  readonly runs: { runId: string; messages: ThreadMessage[] }[] = [];
  stopped: string | null = null;
  private nextRequestId = 1;
  private readonly acks = new Map<number, () => void>();
  private ready!: { resolve: () => void; reject: (error: Error) => void };
  private exited = false;

  constructor(
    readonly init: WorkflowWorkerInit,
    private readonly listener: WorkflowHostListener,
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ready = { resolve, reject };
    });
  }

  becomeReady(): void {
    this.ready.resolve();
  }

  /** The definition is at fault: InitFailed. */
  failInit(reason: string): void {
    this.ready.reject(new WorkflowWorkerInitError(this.init.workflow, reason, true));
    // As with a real process, the exit comes after the failed start was seen.
    setImmediate(() => this.exit({ reason: "init-failed", code: null, signal: "SIGKILL" }));
  }

  run(runId: string, messages: ThreadMessage[]): void {
    this.runs.push({ runId, messages });
  }

  ack(requestId: number): void {
    this.acks.get(requestId)?.();
    this.acks.delete(requestId);
  }

  /** Sends a round's message; resolves once the parent acked it (committed). */
  round(
    runId: string,
    round: number,
    role = "writer",
    content: unknown = `r${round}`,
  ): Promise<void> {
    const requestId = this.nextRequestId++;
    const message: RoleMessage = { kind: "role", role, round, content, ts: Date.now() };
    return new Promise((resolve) => {
      this.acks.set(requestId, resolve);
      this.listener.message(runId, requestId, message);
    });
  }

  end(runId: string, end: ThreadEnd): void {
    this.listener.end(runId, end);
  }

  /** Dies on its own, like kill -9. */
  die(): void {
    this.exit({ reason: "exited", code: null, signal: "SIGKILL" });
  }

  stop(reason: string): Promise<WorkflowWorkerExit> {
    this.stopped = reason;
    return Promise.resolve(this.exit({ reason: "stopped", code: 0, signal: null }));
  }

  private exit(
    partial: Pick<WorkflowWorkerExit, "reason" | "code" | "signal">,
  ): WorkflowWorkerExit {
    const info: WorkflowWorkerExit = {
      workflow: this.init.workflow,
      pid: this.pid,
      fatal: null,
      uptimeMs: 0,
      ...partial,
    };
    if (this.exited) return info;
    this.exited = true;
    this.listener.exit(info);
    return info;
  }
}

/** Creates fake workers; `autoReady` makes each ready as soon as it starts. */
export class FakeWorkflowWorkers extends WorkflowWorkerFactory {
  readonly created: FakeWorkflowWorker[] = [];
  autoReady = true;

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  create(init: WorkflowWorkerInit, listener: WorkflowHostListener): FakeWorkflowWorker {
    const worker = new FakeWorkflowWorker(init, listener);
    this.created.push(worker);
    if (this.autoReady) {
      const start = worker.start.bind(worker);
      worker.start = () => {
        const started = start();
        worker.becomeReady();
        return started;
      };
    }
    return worker;
  }

  get last(): FakeWorkflowWorker {
    const worker = this.created.at(-1);
    if (worker === undefined) throw new Error("no worker was created");
    return worker;
  }
}

/** Records what a supervisor reports. */
export class RecordingEvents implements WorkflowEvents {
  readonly exits: WorkflowExitFollowUp[] = [];
  readonly unavailableMessages: string[] = [];
  readonly errors: string[] = [];

  workerExit(_info: WorkflowWorkerExit, next: WorkflowExitFollowUp): void {
    this.exits.push(next);
  }
  unavailable(_workflow: string, _phase: "compile" | "init", message: string): void {
    this.unavailableMessages.push(message);
  }
  info(): void {}
  error(_workflow: string, message: string): void {
    this.errors.push(message);
  }
  roleLog(): void {}
  workerOutput(): void {}
}

/** A compiler that always succeeds, unless told to fail. */
export class FakeCompiler {
  failWith: string | null = null;
  compiles = 0;

  compile(workflow: CompiledWorkflow): Promise<WorkflowBuild> {
    this.compiles++;
    if (this.failWith !== null) {
      const problem = { file: workflow.file, line: 1, col: 1, text: this.failWith };
      return Promise.resolve({
        ok: false,
        workflow: workflow.name,
        source: workflow.file,
        error: new WorkflowCompileError(workflow.name, [problem]),
      });
    }
    return Promise.resolve({
      ok: true,
      workflow: workflow.name,
      source: workflow.file ?? "",
      module: `/build/${workflow.name}/index.mjs`,
      cached: false,
    });
  }
}

export function workflowConfig(overrides: Partial<CompiledWorkflow> = {}): CompiledWorkflow {
  return {
    name: "cleanup",
    concurrency: 1,
    overflow: "queue",
    maxQueue: 100,
    placement: "local",
    file: "workflows/cleanup/index.ts",
    ...overrides,
  };
}

export function launchOf(overrides: Partial<RunLaunch> = {}): RunLaunch {
  const payload = overrides.payload ?? { disk: "/var" };
  return {
    prompt: "disk is full",
    payload,
    payloadJson: JSON.stringify(payload),
    maxRounds: 5,
    source: "cli",
    causeId: null,
    ...overrides,
  };
}

/**
 * A real run store whose writes fail as on a full disk while `full` is set (what the fault
 * suite does for real with a small filesystem under data/).
 */
export class FillableRunStore extends RunStore {
  full = false;
  /** Writes refused so far. */
  refused = 0;

  override transition(...args: Parameters<RunStore["transition"]>): WorkflowRunRecord {
    this.refuseWhenFull();
    return super.transition(...args);
  }

  override setRounds(runId: string, rounds: number): void {
    this.refuseWhenFull();
    super.setRounds(runId, rounds);
  }

  override incrementResumes(runId: string): number {
    this.refuseWhenFull();
    return super.incrementResumes(runId);
  }

  private refuseWhenFull(): void {
    if (!this.full) return;
    this.refused++;
    throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
  }
}

/** A real store on a temp workspace, a fake worker factory and a supervisor to test. */
export class SupervisorHarness {
  readonly root = mkdtempSync(join(tmpdir(), "nerve-workflow-"));
  readonly logStore = LogStore.open(this.root);
  readonly runStore = new FillableRunStore(this.logStore.db);
  readonly journal = new RunJournal(this.runStore, this.logStore, { now: () => Date.now() });
  readonly workers = new FakeWorkflowWorkers();
  readonly compiler = new FakeCompiler();
  readonly events = new RecordingEvents();
  readonly ended: WorkflowRunRecord[] = [];

  supervisor(
    config: CompiledWorkflow = workflowConfig(),
    deps: Partial<WorkflowSupervisorDeps> = {},
  ): WorkflowSupervisor {
    return new WorkflowSupervisor(config, {
      root: this.root,
      compiler: this.compiler,
      workers: this.workers,
      journal: this.journal,
      events: this.events,
      clock: { now: () => Date.now() },
      policy: { ...DEFAULT_WORKFLOW_RESTART_POLICY, initialDelayMs: 1, maxDelayMs: 5 },
      retireGraceMs: 60_000,
      resumeLimit: 3,
      onEnded: (record) => this.ended.push(record),
      ...deps,
    });
  }

  status(runId: string): string | undefined {
    return this.runStore.get(runId)?.status;
  }

  /** The run's log rows (types, oldest first), committed ones only. */
  async rowTypes(runId: string): Promise<string[]> {
    await this.logStore.flush();
    return this.logStore
      .query({ refId: runId, order: "asc", limit: 10_000 })
      .map((row) =>
        row.type === "workflow.message"
          ? `message:${(row.payload as { kind: string; round?: number }).round ?? 0}`
          : row.type,
      );
  }

  async close(): Promise<void> {
    await this.logStore.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}
