import type { WorkflowRunRecord } from "@nerve/store";
import type { RunEnding, RunJournal } from "./run-journal.js";
import { StoreRetries } from "./store-retries.js";
import type { WorkflowEvents } from "./workflow-reporter.js";

/** How a run-state write went: written, held for a retry (the store cannot be written), failed. */
export type WriteOutcome = "written" | "held" | "failed";

/**
 * The run-state writes of one workflow's runs (`workflow_runs`: rounds, starts, ends, resumes)
 * that can meet a store that cannot be written (a full disk): each is tried at once, held and
 * retried with backoff when the store refuses it, and reported; every other failure is reported
 * with what was being written. Once every held write went through, `drained` lets work that
 * waited go on.
 */
export class RunWrites {
  private readonly retries: StoreRetries;

  constructor(
    private readonly workflow: string,
    private readonly journal: RunJournal,
    private readonly events: WorkflowEvents,
    private readonly onEnded: (record: WorkflowRunRecord) => void,
    drained: () => void,
  ) {
    this.retries = new StoreRetries({
      held: (what, error) =>
        events.error(workflow, `${what} could not be recorded: ${error.message}; retrying`),
      done: (what, attempts) => events.info(workflow, `${what} recorded (attempt ${attempts})`),
      failed: (what, error) => events.error(workflow, `${what} was not recorded: ${error.message}`),
      drained,
    });
  }

  /** Whether a write is held under `key`. */
  has(key: string): boolean {
    return this.retries.has(key);
  }

  /**
   * Writes now, or holds the write under `key` while the store cannot be written. Any other
   * failure is reported as `failure: <error>`.
   */
  write(key: string, what: string, failure: string, write: () => void): WriteOutcome {
    try {
      return this.retries.attempt(key, what, write) ? "written" : "held";
    } catch (error) {
      this.events.error(this.workflow, `${failure}: ${(error as Error).message}`);
      return "failed";
    }
  }

  /** Records how many rounds a run has done. */
  rounds(runId: string, rounds: number): void {
    this.write(
      `rounds:${runId}`,
      `round ${rounds} of run ${runId}`,
      `run ${runId}: its rounds could not be recorded`,
      () => this.journal.setRounds(runId, rounds),
    );
  }

  /** Records a run's final status and row, then tells `onEnded`. */
  end(runId: string, ending: RunEnding): void {
    this.write(
      `end:${runId}`,
      `the end of run ${runId} (${ending.status})`,
      `run ${runId} could not be recorded ${ending.status}`,
      () => this.onEnded(this.journal.end(this.workflow, runId, ending)),
    );
  }

  /** Shutdown: tries the held writes once more and says which could not be made. */
  stop(): void {
    const left = this.retries.flush();
    if (left.length === 0) return;
    this.events.error(
      this.workflow,
      `could not record ${left.join("; ")} before stopping: the store cannot be written. ` +
        `The runs stay as last recorded; the next start takes them up again`,
    );
  }
}
