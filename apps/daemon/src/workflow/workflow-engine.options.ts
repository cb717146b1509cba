import { DEFAULT_RESTART_POLICY, type RestartPolicy } from "../process/restart-tracker.js";
import type { WorkflowHostTimings } from "./workflow-host.js";

/** Injection token of the (optional) WorkflowEngineOptions. */
export const WORKFLOW_ENGINE_OPTIONS = Symbol("WORKFLOW_ENGINE_OPTIONS");

/**
 * When a workflow's dead worker is respawned, and when respawning stops (SPEC §6): the sense
 * groups' policy, with a shorter first delay, since runs wait for the respawn.
 */
export const DEFAULT_WORKFLOW_RESTART_POLICY: RestartPolicy = {
  ...DEFAULT_RESTART_POLICY,
  initialDelayMs: 100,
};

/** On hot reload, how long the old worker may finish its runs in flight (SPEC §6). */
export const DEFAULT_RETIRE_GRACE_MS = 10_000;

/** A run resumed more than this many times ends `crashed` (SPEC §6). */
export const DEFAULT_RESUME_LIMIT = 3;

/** Tuning of the workflow engine; every field has a default. */
export interface WorkflowEngineOptions {
  /** The worker entry to fork. Default: the built worker, bundled into `.nerve/build`. */
  workerFile?: string;
  timings?: Partial<WorkflowHostTimings>;
  restart?: Partial<RestartPolicy>;
  /** Default {@link DEFAULT_RETIRE_GRACE_MS}. */
  retireGraceMs?: number;
  /** Default {@link DEFAULT_RESUME_LIMIT}. */
  resumeLimit?: number;
}
