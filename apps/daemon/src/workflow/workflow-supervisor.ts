import { ExitRecord } from "../process/exit-record.js";
import type { CompiledWorkflow, WorkflowHealth } from "@nerve/core";
import type { WorkflowRunRecord } from "@nerve/store";
import { RestartSchedule, type RestartPolicy } from "../process/restart-tracker.js";
import type { AdmissionPolicy, Availability } from "./admission.js";
import { WorkflowWorkerExitedError, WorkflowWorkerInitError } from "./errors/worker.error.js";
import { Retirements } from "./retirements.js";
import type { RunJournal, RunLaunch } from "./run-journal.js";
import type { WorkflowBuild } from "./workflow-compiler.js";
import type { LaunchResult } from "./workflow-launcher.js";
import type {
  WorkflowWorkerExit,
  WorkflowWorkerFactory,
  WorkflowWorkerHandle,
} from "./workflow-host.types.js";
import type { WorkflowEvents } from "./workflow-reporter.js";
import { WorkflowRuns } from "./workflow-runs.js";

/**
 * The lifecycle of one workflow's worker:
 * - `idle`: created, not started; runs admitted now wait.
 * - `starting`: compiling the definition and starting a worker; runs wait.
 * - `ready`: a worker runs; runs are dispatched to it.
 * - `backoff`: the worker died and is respawned after a delay; its runs wait to be resumed.
 * - `disabled`: five deaths within 60 s; its runs ended `crashed`, queued runs wait.
 * - `broken`: the definition does not compile or load; runs wait (nothing starts).
 * - `stopping` → `stopped`: daemon shutdown or removal from nerve.yaml.
 * `disabled` and `broken` last until the workflow's files or nerve.yaml change.
 */
export type WorkflowState =
  "idle" | "starting" | "ready" | "backoff" | "disabled" | "broken" | "stopping" | "stopped";

export interface WorkflowSupervisorDeps {
  root: string;
  compiler: {
    compile(workflow: CompiledWorkflow, options?: { force?: boolean }): Promise<WorkflowBuild>;
  };
  workers: WorkflowWorkerFactory;
  journal: RunJournal;
  events: WorkflowEvents;
  clock: { now(): number };
  policy: RestartPolicy;
  /** On hot reload, how long the old worker may finish its runs in flight. */
  retireGraceMs: number;
  resumeLimit: number;
  onEnded(record: WorkflowRunRecord): void;
}

/**
 * Keeps one workflow's worker alive and its runs moving (SPEC §6): compiles the definition,
 * starts the worker, respawns it with backoff when it dies (its runs resumed from their
 * committed messages), stops respawning after a crash loop, and on hot reload lets the old
 * worker finish its runs for `retireGraceMs` while a new one takes the queue. Runs themselves
 * are kept by {@link WorkflowRuns}.
 */
export class WorkflowSupervisor {
  private stateValue: WorkflowState = "idle";
  private host: WorkflowWorkerHandle | null = null;
  private readonly retiring: Retirements;
  private readonly runs: WorkflowRuns;
  private readonly schedule: RestartSchedule;
  private readonly exits = new ExitRecord();
  /** Why it is disabled or broken, while it is. */
  private downReason: string | null = null;
  private generation = 0;
  private launching: Promise<void> = Promise.resolve();
  private removing: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private config: CompiledWorkflow,
    private readonly deps: WorkflowSupervisorDeps,
  ) {
    this.runs = new WorkflowRuns(policyOf(config), {
      workflow: config.name,
      journal: deps.journal,
      events: deps.events,
      resumeLimit: deps.resumeLimit,
      readyHost: () => (this.stateValue === "ready" ? this.host : null),
      availability: () => this.availability(),
      onEnded: (record) => deps.onEnded(record),
      onHostIdle: (host) => this.retiring.check(host),
    });
    this.schedule = new RestartSchedule(deps.policy);
    this.retiring = new Retirements({
      graceMs: deps.retireGraceMs,
      countOn: (host) => this.runs.countOn(host),
      interruptOn: (host, reason) => this.runs.interruptOn(host, reason),
    });
  }

  get name(): string {
    return this.config.name;
  }

  get state(): WorkflowState {
    return this.stateValue;
  }

  health(): WorkflowHealth {
    const down = this.stateValue === "disabled" || this.stateValue === "broken";
    const { deaths, windowMs } = this.schedule.deaths(this.deps.clock.now());
    return {
      name: this.name,
      pid: this.host?.pid ?? null,
      active: this.runs.activeCount,
      queued: this.runs.queuedCount,
      disabled: down,
      state: this.stateValue,
      deaths,
      deathWindowMs: windowMs,
      lastExit: this.exits.lastExit,
      nextRestartAt: this.stateValue === "backoff" ? this.schedule.nextRestartAt : null,
      disabledReason: down ? this.downReason : null,
      reenable: down
        ? `edit workflows/${this.name}/ or nerve.yaml (saving either starts a new worker)`
        : null,
    };
  }

  /** Takes over runs a previous daemon left `started` or `queued` (before start()). */
  adopt(records: readonly WorkflowRunRecord[]): void {
    this.runs.adopt(records);
  }

  /** Compiles and starts the worker; resolves once it is ready or failed to start. */
  start(): Promise<void> {
    if (this.stateValue !== "idle") return this.launching;
    return this.spawn(false);
  }

  /** Records a launch: started, queued or dropped (see WorkflowRuns.launch). */
  launch(launch: RunLaunch): Promise<LaunchResult> {
    return this.runs.launch(launch);
  }

  /** Runs of the cluster's queue this daemon can take now (see WorkflowRuns.freeSlots). */
  freeSlots(): number {
    return this.runs.freeSlots();
  }

  /** Starts (or resumes) a run taken from the cluster's queue (see WorkflowRuns.take). */
  take(launch: RunLaunch & { runId: string }): void {
    this.runs.take(launch);
  }

  /**
   * New code or a new chance: the old worker takes no new runs and gets `retireGraceMs` to
   * finish its runs in flight (those left end `interrupted`); a new worker, with the
   * definition recompiled, takes the waiting runs and the queue. Re-enables a disabled or
   * broken workflow.
   */
  reload(reason: string): Promise<void> {
    if (this.stateValue === "stopping" || this.stateValue === "stopped") return Promise.resolve();
    this.schedule.reset();
    const old = this.host;
    this.host = null;
    if (old !== null) this.retiring.add(old, reason);
    return this.spawn(true);
  }

  /**
   * Applies a changed declaration: a new definition file reloads, concurrency and queue
   * settings apply at once, and a disabled or broken workflow gets another chance.
   */
  reconfigure(next: CompiledWorkflow): Promise<void> {
    const fileChanged = next.file !== this.config.file;
    this.config = next;
    this.runs.setPolicy(policyOf(next));
    if (fileChanged || this.stateValue === "disabled" || this.stateValue === "broken") {
      return this.reload("nerve.yaml changed");
    }
    return Promise.resolve();
  }

  /**
   * The workflow left nerve.yaml: queued runs and runs waiting for a worker end `interrupted`,
   * runs in flight get `retireGraceMs` to finish (then end `interrupted`), and the workers
   * stop. Idempotent.
   */
  remove(reason: string): Promise<void> {
    this.removing ??= this.removeNow(reason);
    return this.removing;
  }

  /**
   * Daemon shutdown: launches are kept `queued` for the next start, the roles' abort signals
   * fire, the workers stop, and every commit in flight completes. Runs in flight stay
   * `started`: the next daemon resumes them. Idempotent.
   */
  stop(reason: string): Promise<void> {
    this.stopping ??= this.stopNow(reason);
    return this.stopping;
  }

  private async stopNow(reason: string): Promise<void> {
    this.generation++;
    this.stateValue = "stopping";
    this.schedule.cancel();
    const { hosts, release } = this.retiring.takeAll();
    if (this.host !== null) hosts.push(this.host);
    await Promise.all(hosts.map((host) => host.stop(reason)));
    release();
    await this.runs.settle();
    this.host = null;
    this.stateValue = "stopped";
  }

  private async removeNow(reason: string): Promise<void> {
    this.generation++;
    this.schedule.cancel();
    this.stateValue = "stopping";
    this.runs.interruptWaiting(reason);
    const old = this.host;
    this.host = null;
    if (old !== null) this.retiring.add(old, reason);
    await this.retiring.whenDone();
    await this.runs.settle();
    this.stateValue = "stopped";
  }

  private availability(): Availability {
    switch (this.stateValue) {
      case "idle":
      case "starting":
      case "ready":
      case "backoff":
        return "open";
      case "disabled":
      case "broken":
        return "closed";
      case "stopping":
      case "stopped":
        return "draining";
    }
  }

  private spawn(force: boolean): Promise<void> {
    const generation = ++this.generation;
    this.stateValue = "starting";
    this.downReason = null;
    this.launching = this.attempt(generation, force).catch((error: unknown) => {
      // A bug, not the workflow's fault: keep the daemon up and say so.
      if (generation !== this.generation) return;
      this.breakDown("init", `worker of workflow ${this.name} could not start: ${String(error)}`);
    });
    return this.launching;
  }

  private async attempt(generation: number, force: boolean): Promise<void> {
    const build = await this.deps.compiler.compile(this.config, { force });
    if (generation !== this.generation) return;
    if (!build.ok) {
      this.breakDown("compile", build.error.message);
      return;
    }
    const host: WorkflowWorkerHandle = this.deps.workers.create(
      { root: this.deps.root, workflow: this.name, module: build.module, source: build.source },
      {
        message: (runId, requestId, message) =>
          this.runs.onMessage(host, runId, requestId, message),
        end: (runId, end) => this.runs.onEnd(host, runId, end),
        log: (line) => this.deps.events.roleLog(this.name, line),
        output: (stream, line) => {
          if (stream === "stderr") this.exits.stderrLine(line);
          this.deps.events.workerOutput(this.name, stream, line);
        },
        exit: (info) => this.onExit(host, info),
      },
    );
    this.host = host;
    try {
      await host.start();
    } catch (error) {
      if (generation !== this.generation || this.host !== host) return;
      if (error instanceof WorkflowWorkerInitError && error.definitionFault) {
        this.host = null;
        this.breakDown("init", error.message);
      }
      // Otherwise its exit follows (or came first): onExit respawns or disables.
      return;
    }
    if (generation !== this.generation || this.host !== host) return;
    this.stateValue = "ready";
    this.runs.dispatchWaiting();
  }

  private onExit(host: WorkflowWorkerHandle, info: WorkflowWorkerExit): void {
    const current = host === this.host;
    const retiring = this.retiring.has(host);
    this.retiring.forget(host);
    const error = new WorkflowWorkerExitedError(
      this.name,
      info.code,
      info.signal,
      info.fatal?.message ?? null,
    ).message;
    if (this.stateValue === "stopping" || this.stateValue === "stopped") {
      this.deps.events.workerExit(info, { planned: true });
      return;
    }
    if (!current) {
      // A retiring worker, or one whose init failed: nothing to respawn. Runs it still had
      // (it died before its grace was over) continue on the current worker.
      this.deps.events.workerExit(info, { planned: true });
      if (retiring || info.reason !== "stopped") this.runs.hostLost(host, error);
      this.runs.dispatchWaiting();
      return;
    }
    this.host = null;
    this.exits.died(info, this.deps.clock.now());
    const next = this.schedule.afterDeath(this.deps.clock.now(), info.uptimeMs, () => {
      void this.spawn(false);
    });
    if ("disabled" in next) {
      this.generation++;
      this.stateValue = "disabled";
      const reason =
        `${next.reason}; respawning stopped, its runs in flight end crashed and its queued ` +
        "runs wait until its files or nerve.yaml change";
      this.downReason = reason;
      this.deps.events.workerExit(info, { disabled: true, reason });
      this.runs.crashAll(host, `${error}; ${next.reason}`);
      return;
    }
    this.stateValue = "backoff";
    this.deps.events.workerExit(info, next);
    this.runs.hostLost(host, error);
  }

  /** The definition cannot run until the workflow's files or nerve.yaml change. */
  private breakDown(phase: "compile" | "init", message: string): void {
    this.stateValue = "broken";
    this.downReason = `${phase === "compile" ? "does not compile" : "cannot start"}: ${message}`;
    this.deps.events.unavailable(this.name, phase, message);
  }
}

function policyOf(config: CompiledWorkflow): AdmissionPolicy {
  return { concurrency: config.concurrency, overflow: config.overflow, maxQueue: config.maxQueue };
}
