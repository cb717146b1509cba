import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
  Optional,
} from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
import {
  type CompiledConfig,
  type CompiledWorkflow,
  findWorkflow,
  type WorkflowHealth,
  type WorkflowRunView,
} from "@nerve/core";
import { type RunListQuery, type RunThread, type WorkflowRunRecord } from "@nerve/store";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents } from "../kernel/events.js";
import { RuntimeLifecycle, type RuntimeState } from "../process/runtime-lifecycle.js";
import { WorkflowEngineStoppedError } from "./errors/launch.error.js";
import { ClusterRuns } from "./cluster-placement.js";
import { RunJournal } from "./run-journal.js";
import { RunWaiters } from "./run-waiters.js";
import { WorkflowCompiler } from "./workflow-compiler.js";
import {
  DEFAULT_RESUME_LIMIT,
  DEFAULT_RETIRE_GRACE_MS,
  DEFAULT_WORKFLOW_RESTART_POLICY,
  WORKFLOW_ENGINE_OPTIONS,
  type WorkflowEngineOptions,
} from "./workflow-engine.options.js";
import { WorkflowWorkerFactory } from "./workflow-host.types.js";
import {
  type LaunchRequest,
  type LaunchResult,
  UnknownWorkflowError,
  validateLaunch,
  WorkflowLauncher,
} from "./workflow-launcher.js";
import { WorkflowReporter } from "./workflow-reporter.js";
import { WorkflowSupervisor } from "./workflow-supervisor.js";

/**
 * `new` → onApplicationBootstrap → `running` → drain() → `draining` → `stopped`.
 * Launches while `new` are recorded and wait for their worker; while `draining` or `stopped`
 * they are recorded `queued` for the next daemon, as long as the store is open.
 */
export type WorkflowManagerState = RuntimeState;

/**
 * The workflow engine (SPEC §6): one supervised worker process per declared workflow, runs
 * launched from sense directives and `trigger-workflow` under each workflow's concurrency
 * rule, every round committed before the next, runs resumed after worker crashes and daemon
 * restarts, hot reload of workflow files and nerve.yaml. It is the daemon's WorkflowLauncher,
 * and the "workflow manager" user modules inject (launch, list runs).
 */
@Injectable()
export class WorkflowManager
  extends WorkflowLauncher
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy
{
  private readonly lifecycle: RuntimeLifecycle;
  private readonly supervisors = new Map<string, WorkflowSupervisor>();
  /** Workflows removed from nerve.yaml whose runs are still draining. */
  private readonly leaving = new Map<WorkflowSupervisor, Promise<void>>();
  private readonly waiters = new RunWaiters();
  /** `placement: cluster`: the federation's run queue sends and takes runs through it. */
  readonly cluster: ClusterRuns;

  constructor(
    private readonly config: ConfigService,
    private readonly journal: RunJournal,
    private readonly compiler: WorkflowCompiler,
    private readonly workers: WorkflowWorkerFactory,
    private readonly reporter: WorkflowReporter,
    private readonly clock: Clock,
    events: EventEmitter2,
    private readonly daemonLog: DaemonLog,
    @Optional()
    @Inject(WORKFLOW_ENGINE_OPTIONS)
    private readonly options: WorkflowEngineOptions = {},
  ) {
    super();
    this.lifecycle = new RuntimeLifecycle(events, {
      filesEvent: KernelEvents.workflowFilesChanged,
      configChanged: (next) => this.applyConfig(next),
      filesChanged: (name) => this.workflowFilesChanged(name),
    });
    this.cluster = new ClusterRuns({
      config: () => this.config.current,
      supervisor: (name) => this.supervisors.get(name),
      running: () => this.lifecycle.state === "running",
      journal,
      waiters: this.waiters,
      daemonLog,
    });
  }

  get state(): WorkflowManagerState {
    return this.lifecycle.state;
  }

  /** Creates a supervisor per declared workflow and takes over the runs of a previous daemon. */
  onModuleInit(): void {
    for (const workflow of this.config.current.workflows) {
      this.supervisors.set(workflow.name, this.createSupervisor(workflow));
    }
    this.recover();
    this.lifecycle.subscribe();
  }

  /** Starts every workflow's worker; resolves once each is ready or failed to start. */
  async onApplicationBootstrap(): Promise<void> {
    await this.lifecycle.bootstrap(this.workers, () => this.supervisors.values());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  onModuleDestroy(): void {
    this.lifecycle.unsubscribe();
  }

  /**
   * Starts a run, or queues or drops it by the workflow's concurrency rule; resolves once the
   * run and its start message are committed.
   *
   * @throws UnknownWorkflowError the workflow is not declared.
   * @throws WorkflowLaunchRejectedError (InvalidMaxRoundsError, InvalidPromptError,
   *   InvalidRunPayloadError) the request is invalid; nothing was recorded.
   * @throws WorkflowEngineStoppedError the engine has stopped and the store is closed.
   */
  async launch(request: LaunchRequest): Promise<LaunchResult> {
    const supervisor = this.supervisors.get(request.workflow);
    if (findWorkflow(this.config.current, request.workflow) === undefined || !supervisor) {
      throw new UnknownWorkflowError(request.workflow);
    }
    const launch = validateLaunch(request, this.config.current.maxRounds);
    const placed = await this.cluster.place(request.workflow, launch);
    if (placed !== null) return placed;
    if (this.lifecycle.state !== "stopped") return supervisor.launch(launch);
    // Workers are gone, but while the store is open a late launch (a compute finishing during
    // the daemon's drain) is still kept, `queued`, for the next start.
    try {
      return await supervisor.launch(launch);
    } catch (error) {
      throw new WorkflowEngineStoppedError(request.workflow, { cause: error });
    }
  }

  health(): WorkflowHealth[] {
    return this.config.current.workflows.map(
      (workflow) =>
        this.supervisors.get(workflow.name)?.health() ?? {
          name: workflow.name,
          pid: null,
          active: 0,
          queued: 0,
          disabled: false,
        },
    );
  }

  /** The run, or null. */
  get(runId: string): WorkflowRunRecord | null {
    return this.journal.get(runId);
  }

  /** Runs newest first; only active ones unless `all` (as `nerve workflow list`). */
  list(query: RunListQuery = {}): WorkflowRunView[] {
    return this.journal.list(query);
  }

  /** The run's thread (as `nerve workflow thread`). */
  thread(runId: string): RunThread {
    return this.journal.thread(runId);
  }

  /**
   * Resolves with the run once it is in a final status (at once if it is already). A run that
   * does not exist resolves null.
   */
  whenEnded(runId: string): Promise<WorkflowRunRecord | null> {
    return this.waiters.wait(runId, () => this.journal.get(runId));
  }

  /** The files of a workflow changed: recompile it and hand its queue to a new worker. */
  workflowFilesChanged(name: string): Promise<void> {
    if (this.lifecycle.closing) return Promise.resolve();
    const supervisor = this.supervisors.get(name);
    if (supervisor === undefined) return Promise.resolve();
    return supervisor.reload(`files of workflow ${name} changed`);
  }

  /**
   * Applies a new config: new workflows get workers, removed ones are drained (their runs end
   * `interrupted`), changed settings apply, and disabled workflows get another chance.
   */
  applyConfig(next: CompiledConfig): void {
    if (this.lifecycle.closing) return;
    for (const [name, supervisor] of this.supervisors) {
      if (findWorkflow(next, name) !== undefined) continue;
      this.supervisors.delete(name);
      const removed = supervisor.remove(`workflow ${name} was removed from nerve.yaml`);
      this.leaving.set(supervisor, removed);
      void removed.finally(() => this.leaving.delete(supervisor));
    }
    for (const workflow of next.workflows) {
      const supervisor = this.supervisors.get(workflow.name);
      if (supervisor === undefined) {
        const created = this.createSupervisor(workflow);
        this.supervisors.set(workflow.name, created);
        if (this.lifecycle.state === "running") void created.start();
      } else {
        void supervisor.reconfigure(workflow);
      }
    }
    this.daemonLog.info("workflow", `config applied: ${next.workflows.length} workflow(s)`);
  }

  /**
   * Daemon shutdown: roles are aborted, workers stopped, commits in flight completed. Runs in
   * flight stay `started` and queued runs `queued`, for the next start. Idempotent.
   */
  drain(): Promise<void> {
    return this.lifecycle.drain(async () => {
      // Removed workflows' old workers are stopped too, without the rest of their grace.
      const supervisors = [...this.supervisors.values(), ...this.leaving.keys()];
      const leaving = [...this.leaving.values()];
      await Promise.all([
        ...supervisors.map((supervisor) => supervisor.stop("the daemon is shutting down")),
        ...leaving,
      ]);
    });
  }

  /**
   * Runs a previous daemon left `started` are resumed and `queued` ones queued again, oldest
   * first; those of workflows no longer declared end `interrupted`.
   */
  private recover(): void {
    const byWorkflow = new Map<string, WorkflowRunRecord[]>();
    for (const record of this.journal.listActive()) {
      const runs = byWorkflow.get(record.workflow);
      if (runs === undefined) byWorkflow.set(record.workflow, [record]);
      else runs.push(record);
    }
    for (const [name, records] of byWorkflow) {
      const supervisor = this.supervisors.get(name);
      if (supervisor !== undefined) {
        supervisor.adopt(this.cluster.adoptable(name, records));
        continue;
      }
      for (const record of records) {
        try {
          this.journal.end(name, record.runId, {
            status: "interrupted",
            reason: `workflow ${name} is no longer declared in nerve.yaml`,
          });
        } catch (error) {
          this.daemonLog.error("workflow", `run ${record.runId}: ${(error as Error).message}`);
        }
      }
    }
  }

  private createSupervisor(workflow: CompiledWorkflow): WorkflowSupervisor {
    return new WorkflowSupervisor(workflow, {
      root: this.config.root,
      compiler: this.compiler,
      workers: this.workers,
      journal: this.journal,
      events: this.reporter,
      clock: this.clock,
      policy: { ...DEFAULT_WORKFLOW_RESTART_POLICY, ...this.options.restart },
      retireGraceMs: this.options.retireGraceMs ?? DEFAULT_RETIRE_GRACE_MS,
      resumeLimit: this.options.resumeLimit ?? DEFAULT_RESUME_LIMIT,
      onEnded: (record) => {
        this.waiters.settle(record);
        this.cluster.ended(record);
      },
    });
  }
}
