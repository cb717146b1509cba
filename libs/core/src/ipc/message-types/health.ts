import { ok, type Result } from "../../result.js";
import { checkKnownFields, hasEnvelope, type IpcId, type JsonObject } from "../fields.js";

/** `health`: is the daemon up, and how are its workers. */
export interface HealthRequest {
  id: IpcId;
  type: "health";
}

/** How a supervised worker last ended (`health`, `list-senses`). */
export interface WorkerLastExit {
  /** Epoch ms. */
  at: number;
  code: number | null;
  signal: string | null;
  /** Why the supervisor saw it end (`crashed`, `init-failed`, `timeout`…). */
  reason: string;
  /** The fatal error the worker reported, if it did. */
  error: string | null;
  /** Its last lines on stderr (at most 10), oldest first. */
  stderr: string[];
}

/**
 * Why a worker is (not) running, in the supervisor's words; added to `health` entries of
 * groups and workflows. Optional in the type only for older daemons: this one always fills it.
 */
export interface SupervisionFields {
  /** The supervisor's state: `running`, `starting`, `backoff`, `disabled`, `broken`, `empty`… */
  state?: string;
  /** Unplanned exits within the crash-loop window (`deathWindowMs`). */
  deaths?: number;
  deathWindowMs?: number;
  lastExit?: WorkerLastExit | null;
  /** When the next restart is due (epoch ms), while one is scheduled. */
  nextRestartAt?: number | null;
  /** Why it is disabled, while it is. */
  disabledReason?: string | null;
  /** What brings it back, while it is disabled (e.g. "edit senses/cpu/compute.ts or nerve.yaml"). */
  reenable?: string | null;
}

/** A sense group's worker process. */
export interface GroupHealth extends SupervisionFields {
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
export interface WorkflowHealth extends SupervisionFields {
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
