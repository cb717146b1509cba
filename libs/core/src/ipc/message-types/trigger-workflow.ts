import { ok, type Result } from "../../result.js";
import type { RunStatus } from "../../workflow/run.js";
import {
  checkKnownFields,
  hasEnvelope,
  optionalPositiveInteger,
  optionalString,
  requireNonEmptyString,
  type IpcId,
  type JsonObject,
} from "../fields.js";

/**
 * `trigger-workflow`: launch a run (source `cli`). Without `maxRounds` the run gets nerve.yaml's
 * `max_rounds`; without `prompt` an empty prompt; without `payload` a `null` payload.
 */
export interface TriggerWorkflowRequest {
  id: IpcId;
  type: "trigger-workflow";
  workflow: string;
  prompt?: string;
  maxRounds?: number;
  /** Any JSON value; the line limit bounds its size. */
  payload?: unknown;
}

/** The new run and the status it was created in (`started`, `queued` or `dropped`). */
export interface TriggerWorkflowResult {
  runId: string;
  status: RunStatus;
}

const FIELDS = ["workflow", "prompt", "maxRounds", "payload"] as const;

/** Validates a `trigger-workflow` request whose id and type are already checked. */
export function validateTriggerWorkflowRequest(
  id: IpcId,
  body: JsonObject,
): Result<TriggerWorkflowRequest, string> {
  const known = checkKnownFields("trigger-workflow", body, FIELDS);
  if (!known.ok) return known;
  const workflow = requireNonEmptyString("trigger-workflow", body, "workflow");
  if (!workflow.ok) return workflow;
  const prompt = optionalString("trigger-workflow", body, "prompt");
  if (!prompt.ok) return prompt;
  const maxRounds = optionalPositiveInteger("trigger-workflow", body, "maxRounds");
  if (!maxRounds.ok) return maxRounds;

  const request: TriggerWorkflowRequest = {
    id,
    type: "trigger-workflow",
    workflow: workflow.value,
  };
  if (prompt.value !== undefined) request.prompt = prompt.value;
  if (maxRounds.value !== undefined) request.maxRounds = maxRounds.value;
  if (Object.hasOwn(body, "payload")) request.payload = body.payload;
  return ok(request);
}

export function isTriggerWorkflowRequest(value: unknown): value is TriggerWorkflowRequest {
  return (
    hasEnvelope(value, "trigger-workflow") && validateTriggerWorkflowRequest(value.id, value).ok
  );
}
