import { Injectable } from "@nestjs/common";
import type {
  EndReason,
  LogType,
  RoleMessage,
  RunStatus,
  StartMessage,
  ThreadMessage,
  WorkflowRunView,
} from "@nerve/core";
import {
  LogStore,
  RunStore,
  type RunListQuery,
  type RunThread,
  type ThreadOptions,
  type WorkflowRunRecord,
} from "@nerve/store";
import { JsonText, WORKFLOW_MESSAGE_TYPE } from "@nerve/store/reader";
import { Clock } from "../kernel/clock.js";

/** A launch that passed validation: what a new run is created from. */
export interface RunLaunch {
  prompt: string;
  payload: unknown;
  /** The payload as checked JSON text. */
  payloadJson: string;
  maxRounds: number;
  /** `sense:<name>` or `cli`. */
  source: string;
  causeId: string | null;
  /** The id of a run placed on the cluster, minted by the daemon that launched it. */
  runId?: string;
}

/** A run just recorded, and the promise of its start message's commit. */
export interface CreatedRun {
  record: WorkflowRunRecord;
  start: StartMessage;
  /** Resolves once the start message is durable. */
  committed: Promise<void>;
}

/** The thread a run continues from. */
export interface RunContinuation {
  /** Committed messages, start first. */
  messages: ThreadMessage[];
  /** Resolves once a start message rebuilt for the thread is durable. */
  committed: Promise<void>;
  /** Rounds the thread holds. */
  rounds: number;
}

/** How a run ends, with what its final log row says. */
export type RunEnding =
  | { status: "completed"; endReason: EndReason; rounds: number }
  | { status: "failed"; error: string; name?: string; stack?: string; rounds: number }
  | { status: "crashed"; error: string; resumes: number }
  | { status: "interrupted"; reason: string }
  | { status: "dropped"; reason: string; message: string; by?: string };

/**
 * Everything the engine records about runs, in one place: each status change in
 * `workflow_runs` (RunStore, checked transitions) together with its log row (`workflow.<status>`,
 * source `workflow:<name>`, ref_id the run id), and each thread message as a `workflow.message`
 * row committed durably before the thread goes on.
 *
 * Status rows go through the group commit; a durable message commit takes them along, so the
 * log keeps the order in which things happened.
 */
@Injectable()
export class RunJournal {
  constructor(
    private readonly runs: RunStore,
    private readonly log: LogStore,
    private readonly clock: Clock,
  ) {}

  /** Records a new run in `status` with its status row, and commits its start message. */
  create(
    workflow: string,
    launch: RunLaunch,
    status: RunStatus,
    rowPayload: { message?: string } = {},
  ): CreatedRun {
    const record = this.runs.create({
      ...(launch.runId === undefined ? {} : { runId: launch.runId }),
      error: status === "dropped" ? (rowPayload.message ?? null) : null,
      workflow,
      status,
      prompt: launch.prompt,
      payload: new JsonText(launch.payloadJson),
      maxRounds: launch.maxRounds,
      source: launch.source,
      causeId: launch.causeId,
    });
    this.row(workflow, `workflow.${status}` as LogType, record.runId, {
      source: launch.source,
      causeId: launch.causeId,
      maxRounds: launch.maxRounds,
      ...rowPayload,
    });
    const start: StartMessage = {
      kind: "start",
      prompt: launch.prompt,
      payload: launch.payload,
      maxRounds: launch.maxRounds,
      ts: record.createdAt,
    };
    return { record, start, committed: this.commit(workflow, record.runId, start) };
  }

  /** A queued run starts. */
  started(workflow: string, runId: string): WorkflowRunRecord {
    const record = this.runs.transition(runId, "started");
    this.row(workflow, "workflow.started", runId, { fromQueue: true });
    return record;
  }

  /**
   * Commits a round's message durably. Resolves once it is written; rejects only when the log
   * cannot commit any more (it is closed). The rounds done are recorded apart
   * ({@link setRounds}): a run continues from its messages, whatever `rounds` says.
   */
  message(workflow: string, runId: string, message: RoleMessage): Promise<void> {
    return this.commit(workflow, runId, message);
  }

  /** Records how many rounds the run has done. */
  setRounds(runId: string, rounds: number): void {
    this.runs.setRounds(runId, rounds);
  }

  /** The worker died under a run that will be resumed: its status stays `started`. */
  crashed(workflow: string, runId: string, error: string, resumes: number): void {
    this.row(workflow, "workflow.crashed", runId, { error, resumes, final: false });
  }

  /**
   * The committed messages a run continues from, start first. A start message lost to a crash
   * (the run was recorded, its start not yet committed) is rebuilt from the run record and
   * committed again. `rounds` is what the thread says (the record may lag behind it).
   */
  threadOf(workflow: string, record: WorkflowRunRecord): RunContinuation {
    let messages = this.runs.messages(record.runId);
    let committed = Promise.resolve();
    if (messages[0]?.kind !== "start") {
      const start: StartMessage = {
        kind: "start",
        prompt: record.prompt,
        payload: record.payload,
        maxRounds: record.maxRounds,
        ts: record.createdAt,
      };
      messages = [start, ...messages.filter((message) => message.kind !== "start")];
      committed = this.commit(workflow, record.runId, start);
    }
    return { messages, committed, rounds: messages.length - 1 };
  }

  /**
   * A run continues after a crash or a daemon restart: counts the resume, writes the
   * `workflow.resumed` row, and returns the thread to continue (see {@link threadOf}).
   */
  resume(
    workflow: string,
    record: WorkflowRunRecord,
    why: string,
  ): RunContinuation & { resumes: number } {
    // The only write that can fail (a full disk) comes first: nothing is done twice on a retry.
    const resumes = this.runs.incrementResumes(record.runId);
    const thread = this.threadOf(workflow, record);
    this.row(workflow, "workflow.resumed", record.runId, {
      resumes,
      fromRound: thread.messages.length,
      why,
    });
    return { ...thread, resumes };
  }

  /** Moves a run to a final status and writes its row. */
  end(workflow: string, runId: string, ending: RunEnding): WorkflowRunRecord {
    const { status, ...payload } = ending;
    const record = this.runs.transition(runId, status, {
      ...(ending.status === "completed" ? { endReason: ending.endReason } : {}),
      ...(ending.status === "failed" || ending.status === "crashed" ? { error: ending.error } : {}),
      ...(ending.status === "interrupted" ? { error: ending.reason } : {}),
      ...(ending.status === "dropped" ? { error: ending.message } : {}),
    });
    this.row(workflow, `workflow.${status}`, runId, payload);
    return record;
  }

  /** The run as stored, or null. */
  get(runId: string): WorkflowRunRecord | null {
    return this.runs.get(runId);
  }

  /** Runs newest first; active only unless `all`. */
  list(query: RunListQuery = {}): WorkflowRunView[] {
    return this.runs.list(query);
  }

  /** The run's thread as `nerve workflow thread` shows it. */
  thread(runId: string, options: ThreadOptions = {}): RunThread {
    return this.runs.thread(runId, options);
  }

  /** Runs `queued` or `started`, oldest first. */
  listActive(): WorkflowRunRecord[] {
    return this.runs.listActive();
  }

  private commit(workflow: string, runId: string, message: ThreadMessage): Promise<void> {
    return this.log.appendCommitted({
      source: `workflow:${workflow}`,
      type: WORKFLOW_MESSAGE_TYPE,
      refId: runId,
      payload: message,
    });
  }

  private row(workflow: string, type: LogType, runId: string, payload: unknown): void {
    this.log.append({
      ts: this.clock.now(),
      source: `workflow:${workflow}`,
      type,
      refId: runId,
      payload,
    });
  }
}
