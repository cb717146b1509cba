import {
  ComputeCutShortError,
  WorkerExitedError,
  WorkerKilledError,
} from "./errors/worker.error.js";
import type { ComputeOutcome, ComputeRoute, SerializedError } from "./sense-runtime.types.js";
import { serializeError, type WorkerRoute } from "./worker/messages.js";
import type { WorkerExitInfo } from "./worker-host.types.js";

/** The kinds of failed outcome. */
export type FailureKind = Extract<ComputeOutcome, { ok: false }>["kind"];

/** A failed outcome; the error is serialised if it is not already. */
export function failedOutcome(
  kind: FailureKind,
  error: Error | SerializedError,
  startedAt: number,
  endedAt: number,
): ComputeOutcome {
  return {
    ok: false,
    kind,
    error: error instanceof Error ? serializeError(error) : error,
    startedAt,
    endedAt,
  };
}

/** What ends a compute whose worker exited under it. */
export interface CutShort {
  sense: string;
  /** Why the worker was asked to stop (reason `stopped`). */
  stopReason: string;
  /** The sense whose hanging compute got the worker killed (reason `killed`). */
  culprit: string | null;
  abortGraceMs: number;
}

/**
 * How a compute in flight ends when its worker exits: `unavailable` when the worker was
 * stopped on purpose, `crashed` when it was killed or died.
 */
export function exitError(
  info: WorkerExitInfo,
  compute: CutShort,
): { kind: FailureKind; error: Error } {
  switch (info.reason) {
    case "stopped":
      return {
        kind: "unavailable",
        error: new ComputeCutShortError(compute.sense, info.group, compute.stopReason),
      };
    case "killed":
      return {
        kind: "crashed",
        error: new WorkerKilledError(
          info.group,
          compute.sense,
          compute.culprit ?? "another sense",
          compute.abortGraceMs,
        ),
      };
    case "init-failed":
    case "exited":
      return {
        kind: "crashed",
        error: new WorkerExitedError(
          info.group,
          compute.sense,
          info.code,
          info.signal,
          info.fatal?.message ?? null,
        ),
      };
  }
}

/** Turns the worker's JSON-only route back into a ComputeRoute (payloads parsed here). */
export function parseWorkerRoute(route: WorkerRoute): ComputeRoute | Error {
  try {
    switch (route.kind) {
      case "none":
        return { kind: "none" };
      case "signal": {
        const out: ComputeRoute = {
          kind: "signal",
          payload: JSON.parse(route.payloadJson) as unknown,
          payloadJson: route.payloadJson,
        };
        if (route.ignoredDirective !== undefined) out.ignoredDirective = route.ignoredDirective;
        return out;
      }
      case "workflow":
        return {
          kind: "workflow",
          directive: route.directive,
          payload: JSON.parse(route.payloadJson) as Record<string, unknown>,
          payloadJson: route.payloadJson,
        };
    }
  } catch (error) {
    return new Error(`the worker sent a payload that is not JSON: ${(error as Error).message}`);
  }
}
