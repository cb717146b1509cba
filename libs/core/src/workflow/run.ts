/**
 * Status of a workflow run.
 *
 * ```
 *   (launch) ──► queued ──► started ──► completed | failed | crashed | interrupted
 *      │            │  └──► dropped | interrupted
 *      ├──► started │
 *      └──► dropped ◄┘ (overflow: drop, or evicted from a full queue)
 * ```
 * `completed`, `failed`, `crashed`, `interrupted` and `dropped` are final.
 */
export type RunStatus =
  "queued" | "started" | "completed" | "failed" | "crashed" | "interrupted" | "dropped";

export type EndReason = "end" | "max_rounds";

/** Statuses a run may be created in. */
export const INITIAL_RUN_STATUSES: readonly RunStatus[] = ["queued", "started", "dropped"];

/** Legal transitions; a run in a final status has none. */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ["started", "dropped", "interrupted"],
  started: ["completed", "failed", "crashed", "interrupted"],
  completed: [],
  failed: [],
  crashed: [],
  interrupted: [],
  dropped: [],
};

export function isFinalRunStatus(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].length === 0;
}

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

/** A workflow run as the CLI prints it (`nerve workflow list --json`). Times are epoch ms. */
export interface WorkflowRunView {
  runId: string;
  workflow: string;
  status: RunStatus;
  rounds: number;
  maxRounds: number;
  prompt: string;
  payload?: unknown;
  source: string;
  causeId: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  error: string | null;
}

/**
 * A run of a `placement: cluster` workflow as the cluster's run index keeps it
 * (`nerve workflow list --cluster`): the run's fields, plus which daemon runs or ran it.
 */
export interface ClusterRunView extends Omit<WorkflowRunView, "payload"> {
  /** The node that runs or ran it; null while it waits in the queue. */
  node: string | null;
  /** The node whose launch queued it. */
  origin: string;
}
