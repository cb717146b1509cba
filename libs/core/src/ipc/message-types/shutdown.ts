import { ok, type Result } from "../../result.js";
import { checkKnownFields, hasEnvelope, type IpcId, type JsonObject } from "../fields.js";

/** `shutdown`: stop the daemon gracefully, as SIGTERM does. */
export interface ShutdownRequest {
  id: IpcId;
  type: "shutdown";
}

/** Sent before the daemon starts draining; the socket closes when it is done. */
export interface ShutdownResult {
  stopping: true;
}

/** Validates a `shutdown` request whose id and type are already checked: it takes no fields. */
export function validateShutdownRequest(
  id: IpcId,
  body: JsonObject,
): Result<ShutdownRequest, string> {
  const known = checkKnownFields("shutdown", body, []);
  return known.ok ? ok({ id, type: "shutdown" }) : known;
}

export function isShutdownRequest(value: unknown): value is ShutdownRequest {
  return hasEnvelope(value, "shutdown") && validateShutdownRequest(value.id, value).ok;
}
