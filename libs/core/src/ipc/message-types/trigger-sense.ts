import { ok, type Result } from "../../result.js";
import {
  checkKnownFields,
  hasEnvelope,
  requireNonEmptyString,
  type IpcId,
  type JsonObject,
} from "../fields.js";

/** `trigger-sense`: queue a manual compute of one sense (coalesced like any trigger). */
export interface TriggerSenseRequest {
  id: IpcId;
  type: "trigger-sense";
  sense: string;
}

export interface TriggerSenseResult {
  sense: string;
  accepted: true;
}

const FIELDS = ["sense"] as const;

/** Validates a `trigger-sense` request whose id and type are already checked. */
export function validateTriggerSenseRequest(
  id: IpcId,
  body: JsonObject,
): Result<TriggerSenseRequest, string> {
  const known = checkKnownFields("trigger-sense", body, FIELDS);
  if (!known.ok) return known;
  const sense = requireNonEmptyString("trigger-sense", body, "sense");
  if (!sense.ok) return sense;
  return ok({ id, type: "trigger-sense", sense: sense.value });
}

export function isTriggerSenseRequest(value: unknown): value is TriggerSenseRequest {
  return hasEnvelope(value, "trigger-sense") && validateTriggerSenseRequest(value.id, value).ok;
}
