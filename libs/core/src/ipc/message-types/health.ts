import { ok, type Result } from "../../result.js";
import { checkKnownFields, hasEnvelope, type IpcId, type JsonObject } from "../fields.js";

/** `health`: is the daemon up, and how are its workers. */
export interface HealthRequest {
  id: IpcId;
  type: "health";
}

/** A sense group's worker process. */
export interface GroupHealth {
  name: string;
  /** The worker's pid, or `null` while it is not running. */
  pid: number | null;
  /** Names of the senses in the group. */
  senses: string[];
  /** Worker restarts since the daemon started. */
  restarts: number;
  /** True after five deaths within 60 s, until the config or its files change. */
  disabled: boolean;
}

/** A workflow's worker process. */
export interface WorkflowHealth {
  name: string;
  /** The worker's pid, or `null` while it is not running. */
  pid: number | null;
  /** Runs `started` now. */
  active: number;
  /** Runs waiting in the queue. */
  queued: number;
  /** True when respawning stopped after five deaths within 60 s. */
  disabled: boolean;
}

export interface HealthResult {
  pid: number;
  /** The workspace root the daemon serves. */
  root: string;
  uptimeMs: number;
  version: string;
  groups: GroupHealth[];
  workflows: WorkflowHealth[];
  /** Present while the web dashboard is on: its address, without the access token. */
  dashboard?: { url: string };
}

/** Validates a `health` request whose id and type are already checked: it takes no fields. */
export function validateHealthRequest(id: IpcId, body: JsonObject): Result<HealthRequest, string> {
  const known = checkKnownFields("health", body, []);
  return known.ok ? ok({ id, type: "health" }) : known;
}

export function isHealthRequest(value: unknown): value is HealthRequest {
  return hasEnvelope(value, "health") && validateHealthRequest(value.id, value).ok;
}
