import { type ActiveRun, quiet } from "./active-run.js";
import type { RunContinuation, RunJournal } from "./run-journal.js";
import type { RunWrites } from "./run-writes.js";
import type { WorkflowWorkerHandle } from "./workflow-host.types.js";

/** What the dispatcher needs from the runs of its workflow. */
export interface RunDispatcherDeps {
  workflow: string;
  journal: RunJournal;
  /** The ready worker runs go to, or null. */
  readyHost(): WorkflowWorkerHandle | null;
}

/**
 * Hands the runs of one workflow to its worker (part of {@link WorkflowRuns}, which owns the
 * `active` map it reads): a run never dispatched goes with the start message it was created
 * with; a resumed run, or one queued by a previous daemon, is read back from the store — its
 * resume counted and its thread rebuilt — through RunWrites, so that a store that cannot be
 * written holds it until it can.
 */
export class RunDispatcher {
  constructor(
    private readonly active: Map<string, ActiveRun>,
    private readonly deps: RunDispatcherDeps,
    private readonly writes: RunWrites,
  ) {}

  /**
   * Sends the run to the ready worker once what it committed is durable: a new run with its
   * start message, any other read back from the store. Does nothing for a run that has a worker,
   * is ending or is being dispatched, or when no worker is ready.
   */
  dispatch(runId: string): void {
    const run = this.active.get(runId);
    if (run === undefined || run.host !== null || run.ending || run.dispatching) return;
    if (this.deps.readyHost() === null) return;
    run.dispatching = true;
    // Whatever the run committed must be durable before a worker reads or continues it.
    void run.committed.then(() => {
      run.dispatching = false;
      const host = this.deps.readyHost();
      if (host === null || run.host !== null || run.ending || !this.active.has(runId)) return;
      const { start } = run;
      if (run.resume === null && start !== null) {
        run.host = host;
        run.start = null;
        host.run(runId, [start]);
        return;
      }
      this.writes.write(
        `continue:${runId}`,
        `the continuation of run ${runId}`,
        `run ${runId} could not be read back to continue`,
        () => this.continueFromStore(run),
      );
    });
  }

  /**
   * Sends a run that must be read back from the store (resumed, or queued by a previous daemon)
   * to the ready worker.
   */
  private continueFromStore(run: ActiveRun): void {
    const host = this.deps.readyHost();
    if (host === null || run.host !== null || run.ending || !this.active.has(run.runId)) return;
    const { workflow, journal } = this.deps;
    const record = journal.get(run.runId);
    if (record === null || record.status !== "started") {
      this.active.delete(run.runId);
      return;
    }
    let thread: RunContinuation;
    if (run.resume === null) {
      thread = journal.threadOf(workflow, record);
    } else {
      const resumed = journal.resume(workflow, record, run.resume);
      run.resumes = resumed.resumes;
      thread = resumed;
    }
    if (thread.rounds !== record.rounds) this.writes.rounds(run.runId, thread.rounds);
    run.host = host;
    run.rounds = thread.rounds;
    run.resume = null;
    run.committed = quiet(thread.committed);
    void run.committed.then(() => {
      if (run.host === host && !run.ending) host.run(run.runId, thread.messages);
    });
  }
}
