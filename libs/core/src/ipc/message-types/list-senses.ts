import { ok, type Result } from "../../result.js";
import { checkKnownFields, hasEnvelope, type IpcId, type JsonObject } from "../fields.js";

/** `list-senses`: every declared sense with its config and live state. */
export interface ListSensesRequest {
  id: IpcId;
  type: "list-senses";
}

/**
 * One sense, as `list-senses` and `nerve sense list --json` report it. Durations are in
 * milliseconds and times in epoch milliseconds. The live fields (from `running` on) are `null`
 * when no daemon answers, i.e. when the CLI builds the list from nerve.yaml alone.
 */
export interface SenseInfo {
  name: string;
  group: string;
  throttle: number;
  timeout: number;
  gracePeriod: number;
  /** The shortest `interval` among the sense's reflexes, or `null` when none has one. */
  interval: number | null;
  /** Senses whose signals trigger this one, across its reflexes, without duplicates. */
  on: string[];
  /** True while a compute is in flight. */
  running: boolean | null;
  /** Computes finished since the daemon started. */
  computes: number | null;
  /** Computes that failed (threw, timed out, returned a bad payload) since the daemon started. */
  errors: number | null;
  lastComputeAt: number | null;
  lastSignalAt: number | null;
  /** Message of the last failure, a failed migration included. */
  lastError: string | null;
  /** True when a migration failed or the sense's group is disabled. */
  disabled: boolean | null;
  /** Why it is disabled (a compile error or failed migration with its file and line, or the
   * group's crash loop); null while it is not. */
  disabledReason?: string | null;
  /** What brings it back while it is disabled. */
  reenable?: string | null;
  /** Its group's supervisor state (`running`, `backoff`, `disabled`…). */
  groupState?: string | null;
  /** When its group's worker restarts next (epoch ms), while a restart is scheduled. */
  nextRestartAt?: number | null;
}

export type ListSensesResult = SenseInfo[];

/** Validates a `list-senses` request whose id and type are already checked: it takes no fields. */
export function validateListSensesRequest(
  id: IpcId,
  body: JsonObject,
): Result<ListSensesRequest, string> {
  const known = checkKnownFields("list-senses", body, []);
  return known.ok ? ok({ id, type: "list-senses" }) : known;
}

export function isListSensesRequest(value: unknown): value is ListSensesRequest {
  return hasEnvelope(value, "list-senses") && validateListSensesRequest(value.id, value).ok;
}
