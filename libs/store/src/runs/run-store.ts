import { Injectable } from "@nestjs/common";
import {
  INITIAL_RUN_STATUSES,
  RUN_TRANSITIONS,
  canTransitionRun,
  isFinalRunStatus,
  type EndReason,
  type RunStatus,
  type ThreadMessage,
  type WorkflowRunView,
} from "@nerve/core";
import type { Database as SqliteDatabase, Transaction } from "better-sqlite3";
import {
  IllegalRunTransitionError,
  InvalidRunError,
  RunNotFoundError,
} from "../errors/run.error.js";
import { payloadText } from "../log/log-codec.js";
import { StoreReader } from "../reader/store-reader.js";
import { newRunId } from "./run-id.js";
import type { RunListQuery, RunThread, ThreadOptions, WorkflowRunRecord } from "./run-types.js";

/** A run to record. */
export interface NewRun {
  /** Default: a new time-ordered UUID (see {@link newRunId}). */
  runId?: string;
  workflow: string;
  /** One of INITIAL_RUN_STATUSES: `queued`, `started` or `dropped`. */
  status: RunStatus;
  prompt?: string;
  payload?: unknown;
  maxRounds: number;
  /** `sense:<name>` or `cli`. */
  source: string;
  /** The signal that caused the run, if any. */
  causeId?: string | null;
  /** Why a run created `dropped` was dropped (shown by `nerve workflow list`). */
  error?: string | null;
}

export interface TransitionOptions {
  endReason?: EndReason;
  error?: string;
}

const INSERT_RUN_SQL =
  "INSERT INTO workflow_runs (run_id, workflow, status, prompt, payload, max_rounds, rounds, " +
  "source, cause_id, created_at, started_at, ended_at, updated_at, resumes, error) " +
  "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 0, ?)";
const TRANSITION_SQL =
  "UPDATE workflow_runs SET status = ?, started_at = ?, ended_at = ?, end_reason = ?, error = ?, " +
  "updated_at = ? WHERE run_id = ?";

/**
 * Workflow runs in `workflow_runs` and their threads. Status changes follow RUN_TRANSITIONS
 * (see RunStatus in @nerve/core); each check-and-write runs in one IMMEDIATE transaction.
 * Reads go through {@link StoreReader}, the same SQL the CLI uses.
 */
@Injectable()
export class RunStore {
  readonly reader: StoreReader;
  private readonly transitionTx: Transaction<
    (runId: string, to: RunStatus, options: TransitionOptions) => WorkflowRunRecord
  >;

  constructor(
    readonly db: SqliteDatabase,
    reader?: StoreReader,
    private readonly now: () => number = Date.now,
  ) {
    this.reader = reader ?? new StoreReader(db);
    this.transitionTx = db.transaction(
      (runId: string, to: RunStatus, options: TransitionOptions): WorkflowRunRecord => {
        const run = this.require(runId);
        if (!canTransitionRun(run.status, to)) {
          throw new IllegalRunTransitionError(runId, run.status, to, RUN_TRANSITIONS[run.status]);
        }
        const now = this.now();
        this.reader
          .prepare(TRANSITION_SQL)
          .run(
            to,
            to === "started" ? (run.startedAt ?? now) : run.startedAt,
            isFinalRunStatus(to) ? now : null,
            options.endReason ?? run.endReason,
            options.error ?? run.error,
            now,
            runId,
          );
        return this.require(runId);
      },
    );
  }

  /**
   * Records a new run. `started_at` is set when created `started`, `ended_at` when `dropped`.
   *
   * @throws InvalidRunError bad status, workflow, source or maxRounds, or the id is taken.
   */
  create(input: NewRun): WorkflowRunRecord {
    const runId = input.runId ?? newRunId(this.now());
    if (!INITIAL_RUN_STATUSES.includes(input.status)) {
      throw new InvalidRunError(
        `run ${runId} of workflow ${input.workflow} cannot be created "${input.status}"; ` +
          `expected one of ${INITIAL_RUN_STATUSES.join(", ")}`,
      );
    }
    for (const key of ["workflow", "source"] as const) {
      if (typeof input[key] !== "string" || input[key] === "") {
        throw new InvalidRunError(`run ${runId}: ${key} must be a non-empty string`);
      }
    }
    if (!Number.isSafeInteger(input.maxRounds) || input.maxRounds < 1) {
      throw new InvalidRunError(
        `run ${runId} of workflow ${input.workflow}: maxRounds must be an integer >= 1, ` +
          `got ${String(input.maxRounds)}`,
      );
    }
    const now = this.now();
    const payload = payloadText(input.payload, input.source, "workflow run");
    try {
      this.reader
        .prepare(INSERT_RUN_SQL)
        .run(
          runId,
          input.workflow,
          input.status,
          input.prompt ?? "",
          payload,
          input.maxRounds,
          input.source,
          input.causeId ?? null,
          now,
          input.status === "started" ? now : null,
          isFinalRunStatus(input.status) ? now : null,
          now,
          input.error ?? null,
        );
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
        throw new InvalidRunError(`a workflow run with id ${runId} already exists`, {
          cause: error,
        });
      }
      throw error;
    }
    return this.require(runId);
  }

  /**
   * Moves a run to `to`. Entering `started` sets `started_at` (kept on a later start); a final
   * status sets `ended_at`. `endReason` and `error` are stored when given.
   *
   * @throws RunNotFoundError, IllegalRunTransitionError (names run, from, to, and what is allowed).
   */
  transition(runId: string, to: RunStatus, options: TransitionOptions = {}): WorkflowRunRecord {
    return this.transitionTx.immediate(runId, to, options);
  }

  /** Records how many rounds the run has completed. */
  setRounds(runId: string, rounds: number): void {
    if (!Number.isSafeInteger(rounds) || rounds < 0) {
      throw new InvalidRunError(
        `run ${runId}: rounds must be an integer >= 0, got ${String(rounds)}`,
      );
    }
    const info = this.reader
      .prepare("UPDATE workflow_runs SET rounds = ?, updated_at = ? WHERE run_id = ?")
      .run(rounds, this.now(), runId);
    if (info.changes === 0) throw new RunNotFoundError(runId);
  }

  /** Counts one more resume of the run and returns the new count. */
  incrementResumes(runId: string): number {
    const row = this.reader
      .prepare(
        "UPDATE workflow_runs SET resumes = resumes + 1, updated_at = ? WHERE run_id = ? RETURNING resumes",
      )
      .get(this.now(), runId) as { resumes: number } | undefined;
    if (row === undefined) throw new RunNotFoundError(runId);
    return row.resumes;
  }

  /** The run, or null. */
  get(runId: string): WorkflowRunRecord | null {
    return this.reader.getRun(runId);
  }

  /** Runs `queued` or `started` (of one workflow, if given), oldest first. */
  listActive(workflow?: string): WorkflowRunRecord[] {
    return this.reader.listActiveRuns(workflow);
  }

  /** Runs newest first; active only unless `all`; `limit` default 50. */
  list(q: RunListQuery = {}): WorkflowRunView[] {
    return this.reader.listRuns(q);
  }

  /** The number of runs {@link list} pages through. */
  countList(q: RunListQuery = {}): number {
    return this.reader.countRuns(q);
  }

  /** The run's thread; see ThreadOptions for `before` and `budget`. */
  thread(runId: string, options: ThreadOptions = {}): RunThread {
    return this.reader.thread(runId, options);
  }

  /** The run's committed messages in order, start first: what a resumed run continues from. */
  messages(runId: string): ThreadMessage[] {
    return this.reader.messages(runId);
  }

  private require(runId: string): WorkflowRunRecord {
    const run = this.reader.getRun(runId);
    if (run === null) throw new RunNotFoundError(runId);
    return run;
  }
}
