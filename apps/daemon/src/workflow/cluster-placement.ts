import type { RunLaunch } from "./run-journal.js";
import type { LaunchResult } from "./workflow-launcher.js";

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
