import type { ClusterRunView, RunStatus } from "@nerve/core";
import { jsonObject } from "./subjects.js";

/** The work-queue stream that carries runs of `placement: cluster` workflows. */
export const RUN_STREAM = "NERVE_RUNS";

/** Every run subject: `nerve.run.<workflow>`. */
export const RUN_SUBJECTS = "nerve.run.>";

/** The KV bucket of the cluster's run index (`nerve workflow list --cluster`). */
export const RUN_INDEX_BUCKET = "nerve-runs";

/** How long the index keeps a run after its last change. */
export const RUN_INDEX_TTL_MS = 7 * 24 * 3600 * 1_000;

export function runSubject(workflow: string): string {
  return `nerve.run.${workflow}`;
}

/** The durable consumer every daemon that declares `workflow` pulls from. */
export function runConsumerName(workflow: string): string {
  return `runs-${workflow}`;
}

/** What a queued run message carries: everything a daemon needs to start the run. */
export interface RunJob {
  runId: string;
  workflow: string;
  origin: string;
  prompt: string;
  payload: unknown;
  maxRounds: number;
  source: string;
  causeId: string | null;
  createdAt: number;
}

/** The job of a message body, or null when it is not one. */
export function decodeJob(text: string): RunJob | null {
  const v = jsonObject(text);
  if (v === null) return null;
  const names = ["runId", "workflow", "origin", "source"] as const;
  if (names.some((key) => typeof v[key] !== "string" || v[key] === "")) return null;
  if (typeof v.prompt !== "string") return null;
  if (!Number.isSafeInteger(v.maxRounds) || !Number.isSafeInteger(v.createdAt)) return null;
  if (v.causeId !== null && typeof v.causeId !== "string") return null;
  return v as unknown as RunJob;
}

/** The index entry of a job just queued. */
export function queuedEntry(job: RunJob): ClusterRunView {
  return {
    runId: job.runId,
    workflow: job.workflow,
    status: "queued",
    rounds: 0,
    maxRounds: job.maxRounds,
    prompt: job.prompt,
    source: job.source,
    causeId: job.causeId,
    createdAt: job.createdAt,
    startedAt: null,
    endedAt: null,
    endReason: null,
    error: null,
    node: null,
    origin: job.origin,
  };
}

export function isFinalEntry(entry: { status: RunStatus }): boolean {
  return entry.status !== "queued" && entry.status !== "started";
}
