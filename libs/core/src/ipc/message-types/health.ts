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

/** Another daemon of the cluster, as its heartbeats show it. */
export interface FederationNodeHealth {
  node: string;
  /** When its last heartbeat arrived, epoch ms. */
  lastSeenAt: number;
  /** Its outbox size in that heartbeat. */
  outbox: number;
}

/** This daemon's link to the cluster's broker (present when nerve.yaml has a `federation` block). */
export interface FederationHealth {
  node: string;
  servers: string[];
  /** `connecting` until the first connection, then `connected` / `disconnected`. */
  state: "connecting" | "connected" | "disconnected";
  connected: boolean;
  /** Signals of this daemon waiting to be published. */
  outbox: number;
  /** Signals in the broker not yet committed here (pending + unacked for this node's consumer); null until known. */
  lag: number | null;
  /** Senses whose signals are published (`["*"]` for all). */
  publish: string[];
  /** The last broker error, or null. */
  lastError: string | null;
  /** Other daemons heard from, by name. */
  nodes: FederationNodeHealth[];
}

export interface HealthResult {
  pid: number;
  /** The workspace root the daemon serves. */
  root: string;
  uptimeMs: number;
  version: string;
  groups: GroupHealth[];
  workflows: WorkflowHealth[];
  /** The federation link; absent when the daemon works alone. */
  federation?: FederationHealth;
}

/** Validates a `health` request whose id and type are already checked: it takes no fields. */
export function validateHealthRequest(id: IpcId, body: JsonObject): Result<HealthRequest, string> {
  const known = checkKnownFields("health", body, []);
  return known.ok ? ok({ id, type: "health" }) : known;
}

export function isHealthRequest(value: unknown): value is HealthRequest {
  return hasEnvelope(value, "health") && validateHealthRequest(value.id, value).ok;
}
