import type { RunStatus, ThreadMessage } from "@nerve/core";
import { LogStore, RunStore, openLogDatabase } from "@nerve/store";
import type { Database as SqliteDatabase } from "better-sqlite3";

/** A run to record; times are epoch ms on the seed's own clock. */
export interface SeedRun {
  runId?: string;
  workflow: string;
  status: RunStatus;
  createdAt: number;
  prompt?: string;
  payload?: unknown;
  maxRounds?: number;
  rounds?: number;
  source?: string;
  causeId?: string | null;
  endReason?: "end" | "max_rounds";
  error?: string;
}

/**
 * Writes runs and log rows into a workspace's `data/logs.db` through the store's own classes,
 * as the daemon would, with a clock the test sets.
 */
export class WorkspaceSeed {
  private clock = 0;
  private readonly db: SqliteDatabase;
  private readonly runs: RunStore;
  private readonly log: LogStore;

  constructor(root: string) {
    this.db = openLogDatabase(root);
    this.runs = new RunStore(this.db, undefined, () => this.clock);
    this.log = new LogStore(this.db, { now: () => this.clock });
  }

  /** Records the run, walked through the legal transitions to its status; returns its id. */
  run(spec: SeedRun): string {
    this.clock = spec.createdAt;
    const initial: RunStatus =
      spec.status === "queued" || spec.status === "dropped" ? spec.status : "started";
    const { runId } = this.runs.create({
      runId: spec.runId,
      workflow: spec.workflow,
      status: initial,
      prompt: spec.prompt,
      payload: spec.payload,
      maxRounds: spec.maxRounds ?? 10,
      source: spec.source ?? "cli",
      causeId: spec.causeId,
    });
    if (spec.rounds !== undefined) this.runs.setRounds(runId, spec.rounds);
    if (spec.status !== initial) {
      this.clock += 1_000;
      this.runs.transition(runId, spec.status, { endReason: spec.endReason, error: spec.error });
    }
    return runId;
  }

  /** Commits the messages as `workflow.message` rows of the run, each at its own `ts`. */
  async messages(runId: string, workflow: string, messages: ThreadMessage[]): Promise<void> {
    for (const message of messages) {
      await this.log.appendDurable({
        ts: message.ts,
        source: `workflow:${workflow}`,
        type: "workflow.message",
        refId: runId,
        payload: message,
      });
    }
  }

  /** Commits any log row. */
  async row(row: {
    ts: number;
    source: string;
    type: string;
    refId: string | null;
    payload?: unknown;
  }): Promise<void> {
    await this.log.appendDurable(row);
  }

  async close(): Promise<void> {
    await this.log.close();
    this.db.close();
  }
}
