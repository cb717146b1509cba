import { Injectable } from "@nestjs/common";
import type {
  HealthResult,
  LogQuery,
  LogRow,
  RunStatus,
  SenseInfo,
  WorkflowRunView,
} from "@nerve/core";
import { LogStore, type RunThread, type WorkflowRunRecord } from "@nerve/store";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonHealth } from "../lifecycle/daemon-health.service.js";
import { ReflexScheduler } from "../reflex/reflex-scheduler.service.js";
import { SenseRegistry } from "../reflex/sense-registry.service.js";
import type { RecentCompute } from "../reflex/sense-slot.js";

/** The overview: `health`, plus the names the pages filter by. */
export interface DashboardOverview extends HealthResult {
  senses: string[];
  workflowNames: string[];
}

/** A `list-senses` entry with what only the dashboard shows. */
export interface DashboardSense extends SenseInfo {
  /** The latest computes, oldest first (the sparkline). */
  recent: RecentCompute[];
  /** The latest `sense.error` / `sense.timeout` row of the sense, with its stack. */
  lastFailure: LogRow | null;
}

/** One page of runs. */
export interface DashboardRunPage {
  runs: WorkflowRunView[];
  total: number;
  limit: number;
  offset: number;
}

/** A run's page: its record, its thread and one page of its log rows. */
export interface DashboardRun {
  run: WorkflowRunRecord;
  thread: RunThread;
  logs: LogRow[];
  total: number;
}

/** One page of log rows, newest first. */
export interface DashboardLogPage {
  rows: LogRow[];
  total: number;
  limit: number;
  offset: number;
}

const FAILURE_TYPES = ["sense.error", "sense.timeout"];

/**
 * What the dashboard's pages show, read through the services the socket handlers and the CLI
 * use: DaemonHealth (`health`), SenseRegistry (`list-senses`, `trigger-sense`) and the store's
 * reader (`workflow list|inspect|thread`, the log). No query of its own.
 */
@Injectable()
export class DashboardData {
  constructor(
    private readonly health: DaemonHealth,
    private readonly registry: SenseRegistry,
    private readonly scheduler: ReflexScheduler,
    private readonly logStore: LogStore,
    private readonly config: ConfigService,
  ) {}

  overview(): DashboardOverview {
    const config = this.config.current;
    return {
      ...this.health.current(),
      senses: config.senses.map((s) => s.name),
      workflowNames: config.workflows.map((w) => w.name),
    };
  }

  /** `list-senses`, each with its recent computes (no log read: for the live feed). */
  liveSenses(): (SenseInfo & { recent: RecentCompute[] })[] {
    return this.registry.list().map((sense) => ({
      ...sense,
      recent: this.scheduler.senseStatus(sense.name)?.recent ?? [],
    }));
  }

  senses(): DashboardSense[] {
    return this.liveSenses().map((sense) => ({
      ...sense,
      lastFailure: sense.errors ? this.lastFailure(sense.name) : null,
    }));
  }

  /**
   * Queues a manual compute.
   * @throws UnknownSenseError, SchedulerStoppedError
   */
  trigger(sense: string): { sense: string; accepted: true } {
    return this.registry.trigger(sense);
  }

  runs(q: {
    workflow?: string;
    status?: RunStatus;
    limit: number;
    offset: number;
  }): DashboardRunPage {
    const reader = this.logStore.reader;
    const filter = { all: true, workflow: q.workflow, status: q.status };
    return {
      runs: reader.listRuns({ ...filter, limit: q.limit, offset: q.offset }),
      total: reader.countRuns(filter),
      limit: q.limit,
      offset: q.offset,
    };
  }

  /** The run, its thread, and one page of its log rows oldest first; null for an unknown id. */
  run(runId: string, paging: { limit: number; offset: number }): DashboardRun | null {
    const reader = this.logStore.reader;
    const run = reader.getRun(runId);
    if (run === null) return null;
    return {
      run,
      thread: reader.thread(runId),
      logs: this.logStore.query({ refId: runId, order: "asc", ...paging }),
      total: this.logStore.count({ refId: runId }),
    };
  }

  /** @throws InvalidQueryError for a query the store refuses. */
  log(q: LogQuery & { limit: number; offset: number }): DashboardLogPage {
    return {
      rows: this.logStore.query(q),
      total: this.logStore.count(q),
      limit: q.limit,
      offset: q.offset,
    };
  }

  private lastFailure(sense: string): LogRow | null {
    const rows = FAILURE_TYPES.flatMap((type) =>
      this.logStore.query({ source: `sense:${sense}`, type, limit: 1 }),
    );
    rows.sort((a, b) => b.id - a.id);
    return rows[0] ?? null;
  }
}
