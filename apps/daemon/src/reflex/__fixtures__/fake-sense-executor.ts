import type { GroupHealth, WorkflowDirective } from "@nerve/core";
import {
  type ComputeOutcome,
  type ComputeRequest,
  type ComputeRoute,
  type SenseAvailability,
  SenseExecutor,
} from "../../sense/sense-runtime.types.js";

/** One compute the fake received; `settle` ends it with an outcome. */
export interface FakeCompute {
  request: ComputeRequest;
  /** Date.now() when the scheduler asked for it. */
  at: number;
  settled: boolean;
  settle(outcome?: ComputeOutcome): void;
}

type OutcomeFactory = (request: ComputeRequest) => ComputeOutcome;

/**
 * Stands in for the worker processes of the sense module: records every compute, lets the
 * test settle each one (or settles them at once with `auto`), and counts overlapping computes
 * per sense.
 */
export class FakeSenseExecutor extends SenseExecutor {
  readonly calls: FakeCompute[] = [];
  /** Settles every compute at once with the outcome it returns, per sense or for all ("*"). */
  readonly auto = new Map<string, OutcomeFactory>();
  /** Called when a compute starts, before it may settle (to move the clock, for instance). */
  onCompute: ((request: ComputeRequest) => void) | null = null;
  readonly disabled = new Map<string, string>();
  private readonly active = new Map<string, number>();
  /** Highest number of computes of one sense seen in flight together. */
  maxOverlap = 0;

  compute(request: ComputeRequest): Promise<ComputeOutcome> {
    const running = (this.active.get(request.sense) ?? 0) + 1;
    this.active.set(request.sense, running);
    this.maxOverlap = Math.max(this.maxOverlap, running);
    const at = Date.now();
    return new Promise((resolve) => {
      const call: FakeCompute = {
        request,
        at,
        settled: false,
        settle: (outcome = none(at)) => {
          if (call.settled) throw new Error(`compute of ${request.sense} settled twice`);
          call.settled = true;
          this.active.set(request.sense, (this.active.get(request.sense) ?? 1) - 1);
          resolve(outcome);
        },
      };
      this.calls.push(call);
      this.onCompute?.(request);
      const factory = this.auto.get(request.sense) ?? this.auto.get("*");
      if (factory !== undefined) call.settle(factory(request));
    });
  }

  availability(sense: string): SenseAvailability {
    const reason = this.disabled.get(sense);
    return reason === undefined ? { disabled: false, reason: null } : { disabled: true, reason };
  }

  groups(): GroupHealth[] {
    return [];
  }

  /** Computes of `sense`, in order. */
  of(sense: string): FakeCompute[] {
    return this.calls.filter((call) => call.request.sense === sense);
  }

  /** The one unsettled compute of `sense`; fails when there is none. */
  current(sense: string): FakeCompute {
    const open = this.of(sense).filter((call) => !call.settled);
    if (open.length !== 1)
      throw new Error(`${open.length} computes of ${sense} in flight, expected 1`);
    return open[0];
  }
}

export function ok(route: ComputeRoute, at = Date.now()): ComputeOutcome {
  return { ok: true, route, startedAt: at, endedAt: Date.now() };
}

export function none(at = Date.now()): ComputeOutcome {
  return ok({ kind: "none" }, at);
}

export function signalOutcome(payload: unknown, at = Date.now()): ComputeOutcome {
  return ok({ kind: "signal", payload, payloadJson: JSON.stringify(payload) }, at);
}

export function workflowOutcome(
  directive: WorkflowDirective,
  payload: Record<string, unknown>,
): ComputeOutcome {
  return ok({ kind: "workflow", directive, payload, payloadJson: JSON.stringify(payload) });
}

export function failedOutcome(
  kind: "error" | "timeout" | "crashed" | "unavailable",
  message: string,
): ComputeOutcome {
  const now = Date.now();
  return {
    ok: false,
    kind,
    error: { name: "Error", message, stack: `Error: ${message}\n    at compute (compute.ts:1:1)` },
    startedAt: now,
    endedAt: now,
  };
}
