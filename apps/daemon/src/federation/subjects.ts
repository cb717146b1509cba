/** The JetStream stream that carries signals between daemons. */
export const SIGNAL_STREAM = "NERVE_SIGNALS";

/** Every signal subject: `nerve.signal.<node>.<sense>`. */
export const SIGNAL_SUBJECTS = "nerve.signal.>";

/** How long the broker remembers a message id to drop a second publish of it. */
export const DUPLICATE_WINDOW_NS = 10 * 60 * 1e9;

/** How long the broker keeps signals nobody has read. */
export const SIGNAL_MAX_AGE_NS = 7 * 24 * 3600 * 1e9;

/** Heartbeats: `nerve.node.<node>`, core NATS, every {@link HEARTBEAT_MS}. */
export const HEARTBEAT_SUBJECTS = "nerve.node.*";
export const HEARTBEAT_MS = 5_000;

export function signalSubject(node: string, sense: string): string {
  return `nerve.signal.${node}.${sense}`;
}

export function heartbeatSubject(node: string): string {
  return `nerve.node.${node}`;
}

/** The durable consumer of one daemon. */
export function consumerName(node: string): string {
  return `nerve-${node}`;
}

/** `nerve.signal.<node>.<sense>` → its parts; null for anything else. */
export function parseSignalSubject(subject: string): { node: string; sense: string } | null {
  const parts = subject.split(".");
  if (parts.length !== 4 || parts[0] !== "nerve" || parts[1] !== "signal") return null;
  return { node: parts[2], sense: parts[3] };
}

/** What travels in a signal message; the subject carries node and sense. */
export interface SignalEnvelope {
  id: string;
  ts: number;
  causeId: string | null;
  payload: unknown;
}

/** The message body, built around the payload's JSON text without parsing it again. */
export function encodeEnvelope(
  id: string,
  ts: number,
  causeId: string | null,
  payloadJson: string,
): string {
  return `{"id":${JSON.stringify(id)},"ts":${ts},"causeId":${JSON.stringify(causeId)},"payload":${payloadJson}}`;
}

/** The envelope of a message body, or null when it is not one. */
export function decodeEnvelope(text: string): SignalEnvelope | null {
  const v = jsonObject(text);
  if (v === null) return null;
  if (typeof v.id !== "string" || v.id === "" || !Number.isSafeInteger(v.ts)) return null;
  if (v.causeId !== null && typeof v.causeId !== "string") return null;
  return { id: v.id, ts: v.ts as number, causeId: v.causeId, payload: v.payload ?? null };
}

/** The JSON object a message body holds, or null when it holds none. */
export function jsonObject(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}
