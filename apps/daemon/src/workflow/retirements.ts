import type { WorkflowWorkerHandle } from "./workflow-host.types.js";

interface Retirement {
  timer: NodeJS.Timeout;
  /** Resolves once the old worker is gone. */
  done: Promise<void>;
  resolve(): void;
  reason: string;
}

/** What a retirement needs from its owner. */
export interface RetirementDeps {
  graceMs: number;
  /** Runs still on a worker. */
  countOn(host: WorkflowWorkerHandle): number;
  /** The grace is over (or no run is left): end what is left on it `interrupted`. */
  interruptOn(host: WorkflowWorkerHandle, reason: string): void;
}

/**
 * Old workers of a workflow finishing their runs after a hot reload (SPEC §6): each takes no
 * new run, is stopped as soon as it has no run left, and at the latest after the grace, when
 * the runs it still has end `interrupted`.
 */
export class Retirements {
  private readonly retiring = new Map<WorkflowWorkerHandle, Retirement>();

  constructor(private readonly deps: RetirementDeps) {}

  has(host: WorkflowWorkerHandle): boolean {
    return this.retiring.has(host);
  }

  /** Starts the grace of `host`; it is stopped at once if it has no run. */
  add(host: WorkflowWorkerHandle, reason: string): void {
    let resolve!: () => void;
    const done = new Promise<void>((settle) => (resolve = settle));
    const timer = setTimeout(() => this.finish(host), this.deps.graceMs);
    this.retiring.set(host, { timer, done, resolve, reason });
    this.check(host);
  }

  /** One of its runs ended: stop it if it was the last. */
  check(host: WorkflowWorkerHandle): void {
    if (this.retiring.has(host) && this.deps.countOn(host) === 0) this.finish(host);
  }

  /** Forgets a worker that died on its own. */
  forget(host: WorkflowWorkerHandle): void {
    const retirement = this.retiring.get(host);
    if (retirement === undefined) return;
    clearTimeout(retirement.timer);
    this.retiring.delete(host);
    retirement.resolve();
  }

  /** Resolves once every retiring worker is gone. */
  async whenDone(): Promise<void> {
    await Promise.all([...this.retiring.values()].map((retirement) => retirement.done));
  }

  /** Shutdown: ends every grace now and returns the workers, to be stopped by the caller. */
  takeAll(): { hosts: WorkflowWorkerHandle[]; release: () => void } {
    const entries = [...this.retiring.entries()];
    this.retiring.clear();
    for (const [, retirement] of entries) clearTimeout(retirement.timer);
    return {
      hosts: entries.map(([host]) => host),
      release: () => {
        for (const [, retirement] of entries) retirement.resolve();
      },
    };
  }

  private finish(host: WorkflowWorkerHandle): void {
    const retirement = this.retiring.get(host);
    if (retirement === undefined) return;
    clearTimeout(retirement.timer);
    this.retiring.delete(host);
    this.deps.interruptOn(
      host,
      `${retirement.reason}: the old worker did not finish the run within ${this.deps.graceMs} ms`,
    );
    void host.stop(retirement.reason).then(() => retirement.resolve());
  }
}
