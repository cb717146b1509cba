import type { SenseTrigger } from "@nerve/core";
import { SenseUnavailableError } from "./errors/worker.error.js";
import type { GroupState } from "./group-supervisor.types.js";
import type { ComputeOutcome, SerializedError } from "./sense-runtime.types.js";
import type { SenseWorkerHandle } from "./worker-host.types.js";
import { serializeError } from "./worker/messages.js";

/** A compute that did not go straight to a running worker. */
export interface Waiting {
  sense: string;
  trigger: SenseTrigger;
  timeoutMs: number;
  startedAt: number;
  /** The instant the compute is for (`ctx.now`). */
  now: number;
  resolve: (outcome: ComputeOutcome) => void;
}

/** The group as a waiting compute sees it when it is placed (read at that moment). */
export interface GroupView {
  readonly name: string;
  state(): GroupState;
  /** The worker of the current generation, if any. */
  host(): SenseWorkerHandle | null;
  disabledReason(): string | null;
  isMember(sense: string): boolean;
  /** Why `sense` cannot compute (it failed to compile or to init), if it cannot. */
  problem(sense: string): SerializedError | undefined;
}

/**
 * The computes of one group that wait while its worker starts or restarts, and their dispatch
 * by the group's state: queued while it may still get a worker, sent to the worker once it runs,
 * answered `unavailable` (never rejected) when it has none to give.
 */
export class WaitingComputes {
  private queue: Waiting[] = [];

  constructor(
    private readonly group: GroupView,
    private readonly clock: { now(): number },
  ) {}

  /** Queues `waiting`, runs it, or answers it unavailable, by the group's state now. */
  dispatch(waiting: Waiting): void {
    const { group } = this;
    const { sense } = waiting;
    if (!group.isMember(sense)) {
      waiting.resolve(this.unavailable(waiting, `it is not a member of group ${group.name}`));
      return;
    }
    switch (group.state()) {
      case "idle":
      case "starting":
      case "backoff":
        this.queue.push(waiting);
        return;
      case "running": {
        const problem = group.problem(sense);
        const host = group.host();
        if (problem !== undefined || host === null) {
          waiting.resolve(this.unavailable(waiting, problem?.message ?? "its worker is gone"));
          return;
        }
        void host
          .compute(sense, waiting.trigger, waiting.timeoutMs, waiting.now)
          .then(waiting.resolve);
        return;
      }
      case "empty":
        waiting.resolve(
          this.unavailable(waiting, group.problem(sense)?.message ?? "it has no worker"),
        );
        return;
      case "disabled":
        waiting.resolve(
          this.unavailable(waiting, `group ${group.name} is disabled: ${group.disabledReason()}`),
        );
        return;
      case "stopping":
      case "stopped":
        waiting.resolve(this.unavailable(waiting, `group ${group.name} is stopping`));
        return;
    }
  }

  /** Dispatches again every queued compute, after the group's state changed. */
  flush(): void {
    const waiting = this.queue;
    this.queue = [];
    for (const entry of waiting) this.dispatch(entry);
  }

  private unavailable(waiting: Waiting, reason: string): ComputeOutcome {
    return {
      ok: false,
      kind: "unavailable",
      error: serializeError(new SenseUnavailableError(waiting.sense, reason)),
      startedAt: waiting.startedAt,
      endedAt: this.clock.now(),
    };
  }
}
