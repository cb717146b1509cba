import type { GroupHealth, SenseTrigger, WorkflowDirective } from "@nerve/core";
import type { SerializedError } from "../process/serialized-error.js";

/** An error as it crosses a process boundary (part of this contract, shared by every worker). */
export type { SerializedError } from "../process/serialized-error.js";

/** Where a successful compute's value goes (see routeSenseComputeOutput in @nerve/core). */
export type ComputeRoute =
  | { kind: "none" }
  | {
      kind: "signal";
      payload: unknown;
      /** The payload as JSON text, already checked (serialisable, ≤ 1 MiB). */
      payloadJson: string;
      /** Set when the value carried a `workflow` field that is not a directive. */
      ignoredDirective?: { reason: string };
    }
  | {
      kind: "workflow";
      directive: WorkflowDirective;
      payload: Record<string, unknown>;
      payloadJson: string;
    };

/**
 * The outcome of one compute. `error`: the compute threw, or its value cannot be a payload;
 * `timeout`: it outran its timeout; `crashed`: its worker died under it; `unavailable`: the sense
 * or its group is disabled or stopping.
 */
export type ComputeOutcome =
  | { ok: true; route: ComputeRoute; startedAt: number; endedAt: number }
  | {
      ok: false;
      kind: "error" | "timeout" | "crashed" | "unavailable";
      error: SerializedError;
      startedAt: number;
      endedAt: number;
    };

export interface ComputeRequest {
  sense: string;
  trigger: SenseTrigger;
  /** The instant the compute is for, epoch ms (`ctx.now`); default: when it is asked for. */
  now?: number;
}

/** Why a sense cannot compute right now, or null when it can. */
export interface SenseAvailability {
  disabled: boolean;
  reason: string | null;
}

/**
 * Runs computes in worker processes. Implemented by the sense module; the reflex scheduler
 * decides when to call it.
 */
export abstract class SenseExecutor {
  /** Runs one compute of `sense`; never rejects — failures are outcomes. */
  abstract compute(request: ComputeRequest): Promise<ComputeOutcome>;
  abstract availability(sense: string): SenseAvailability;
  /** One entry per sense group, for `health`. */
  abstract groups(): GroupHealth[];
}
