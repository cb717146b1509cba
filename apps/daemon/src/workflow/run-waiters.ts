import { isFinalRunStatus } from "@nerve/core";
import type { WorkflowRunRecord } from "@nerve/store";

type Waiter = (record: WorkflowRunRecord | null) => void;

/** Promises of runs' ends, kept until the engine records each end. */
export class RunWaiters {
  private readonly waiting = new Map<string, Waiter[]>();

  /**
   * Resolves with the run once it is final: at once if `read()` finds it final (or finds
   * nothing: null), else when {@link settle} is given its end. A run still in flight when the
   * daemon stops never resolves here; the next daemon finishes it.
   */
  wait(runId: string, read: () => WorkflowRunRecord | null): Promise<WorkflowRunRecord | null> {
    const record = read();
    if (record === null || isFinalRunStatus(record.status)) return Promise.resolve(record);
    return new Promise((resolve) => {
      const waiters = this.waiting.get(runId);
      if (waiters === undefined) this.waiting.set(runId, [resolve]);
      else waiters.push(resolve);
    });
  }

  /** A run was recorded in a new status; its waiters resolve if it is final. */
  settle(record: WorkflowRunRecord): void {
    if (!isFinalRunStatus(record.status)) return;
    const waiters = this.waiting.get(record.runId);
    if (waiters === undefined) return;
    this.waiting.delete(record.runId);
    for (const resolve of waiters) resolve(record);
  }
}
