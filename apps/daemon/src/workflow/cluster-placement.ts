import { type CompiledConfig, findWorkflow } from "@nerve/core";
import type { WorkflowRunRecord } from "@nerve/store";
import type { DaemonLog } from "../kernel/daemon-log.js";
import type { RunJournal, RunLaunch } from "./run-journal.js";
import type { RunWaiters } from "./run-waiters.js";
import { type LaunchResult, UnknownWorkflowError } from "./workflow-launcher.js";
import type { WorkflowSupervisor } from "./workflow-supervisor.js";

/**
 * Where runs of a `placement: cluster` workflow go instead of this daemon's own admission: the
 * federation's run queue, installed while a `federation` block is configured. `enqueue`
 * resolves null when the queue cannot take the run now (no broker): the run then starts here,
 * so local work never waits for the broker.
 */
export interface ClusterPlacement {
  enqueue(workflow: string, launch: RunLaunch): Promise<LaunchResult | null>;
}

/** A run taken from the cluster's queue: the launch, under the id its launching daemon gave it. */
export type ClusterRunLaunch = RunLaunch & { runId: string };

/** What the workflow engine lends {@link ClusterRuns}. */
export interface ClusterRunsDeps {
  config: () => CompiledConfig;
  supervisor: (workflow: string) => WorkflowSupervisor | undefined;
  /** Whether the engine takes runs now (it is `running`). */
  running: () => boolean;
  journal: RunJournal;
  waiters: RunWaiters;
  daemonLog: DaemonLog;
}

/**
 * The workflow engine's side of `placement: cluster` (docs/FEDERATION.md): launches sent to the
 * cluster's queue, runs taken from it, their ends told to the queue, and the runs a previous
 * daemon left `started` parked until the queue says where they went on. The federation's run
 * queue works through this (`WorkflowManager.cluster`).
 */
export class ClusterRuns {
  private placement: ClusterPlacement | null = null;
  private readonly endListeners = new Set<(record: WorkflowRunRecord) => void>();
  /**
   * Runs of `placement: cluster` workflows a previous daemon left `started`: not resumed here at
   * start (the cluster's queue hands each to whichever daemon takes it next), by run id.
   */
  private readonly parked = new Map<string, string>();

  constructor(private readonly deps: ClusterRunsDeps) {}

  /** Sends launches of `placement: cluster` workflows to `placement` (null: they run here). */
  setPlacement(placement: ClusterPlacement | null): void {
    this.placement = placement;
  }

  /**
   * Queues a run of a `placement: cluster` workflow on the cluster; null when the workflow runs
   * here (local placement, no federation, or the queue cannot take it now).
   */
  async place(workflow: string, launch: RunLaunch): Promise<LaunchResult | null> {
    const placement = this.placement;
    if (placement === null || !this.isClustered(workflow)) return null;
    return placement.enqueue(workflow, launch);
  }

  /** Runs of the cluster's queue this daemon can take now for `workflow` (0 if it has none). */
  freeSlots(workflow: string): number {
    if (!this.deps.running()) return 0;
    return this.deps.supervisor(workflow)?.freeSlots() ?? 0;
  }

  /**
   * Starts a run taken from the cluster's queue; a run this daemon left `started` is resumed, one
   * it ended is reported to the end listeners again.
   *
   * @throws UnknownWorkflowError the workflow is not declared here.
   */
  take(launch: ClusterRunLaunch & { workflow: string }): void {
    const supervisor = this.deps.supervisor(launch.workflow);
    if (supervisor === undefined) throw new UnknownWorkflowError(launch.workflow);
    this.parked.delete(launch.runId);
    supervisor.take(launch);
  }

  /** Calls `listener` with every run that reaches a final status; returns the unsubscribe. */
  onRunEnded(listener: (record: WorkflowRunRecord) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** A run of this daemon reached a final status. */
  ended(record: WorkflowRunRecord): void {
    for (const listener of this.endListeners) listener(record);
  }

  /** Cluster runs a previous daemon left `started` and no daemon has taken back here yet. */
  parkedRuns(): string[] {
    return [...this.parked.keys()];
  }

  /** A parked cluster run went on elsewhere: its record here ends `interrupted`, saying why. */
  releaseParked(runId: string, reason: string): void {
    const workflow = this.parked.get(runId);
    if (workflow === undefined) return;
    this.parked.delete(runId);
    try {
      this.deps.waiters.settle(
        this.deps.journal.end(workflow, runId, { status: "interrupted", reason }),
      );
    } catch (error) {
      this.deps.daemonLog.error("workflow", `run ${runId}: ${(error as Error).message}`);
    }
  }

  /**
   * At start, the runs of `workflow` a previous daemon left active, minus those parked: with a
   * federation, `started` runs of a cluster workflow wait for their queue message (whichever
   * daemon takes it runs them).
   */
  adoptable(workflow: string, records: WorkflowRunRecord[]): WorkflowRunRecord[] {
    if (this.deps.config().federation === null || !this.isClustered(workflow)) return records;
    for (const record of records) {
      if (record.status === "started") this.parked.set(record.runId, workflow);
    }
    return records.filter((record) => record.status !== "started");
  }

  private isClustered(workflow: string): boolean {
    return findWorkflow(this.deps.config(), workflow)?.placement === "cluster";
  }
}
