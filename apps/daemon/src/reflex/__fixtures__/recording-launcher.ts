import type { WorkflowHealth } from "@nerve/core";
import {
  type LaunchRequest,
  type LaunchResult,
  WorkflowLauncher,
} from "../../workflow/workflow-launcher.js";

/** A workflow launcher that records launches and queues each as a run, or fails with `failWith`. */
export class RecordingLauncher extends WorkflowLauncher {
  readonly launches: LaunchRequest[] = [];
  failWith: Error | null = null;

  launch(request: LaunchRequest): Promise<LaunchResult> {
    this.launches.push(request);
    if (this.failWith !== null) return Promise.reject(this.failWith);
    return Promise.resolve({ runId: `run-${this.launches.length}`, status: "queued" });
  }

  health(): WorkflowHealth[] {
    return [];
  }
}
