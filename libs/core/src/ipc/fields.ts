import { err, ok, type Result } from "../result.js";

/**
 * A request id, echoed in its response: a non-negative safe integer (what the CLI sends) or a
 * string of 1 to {@link MAX_IPC_ID_LENGTH} characters (for other clients that prefer UUIDs).
 */
export type IpcId = number | string;

/** Longest string id accepted, in UTF-16 code units. */
export const MAX_IPC_ID_LENGTH = 64;

/** A JSON object as `JSON.parse` returns it. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** What an id must be, for error messages. */
export const IPC_ID_EXPECTED = `a non-negative integer or a string of 1-${MAX_IPC_ID_LENGTH} characters`;

export function isIpcId(value: unknown): value is IpcId {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0;
  return typeof value === "string" && value.length >= 1 && value.length <= MAX_IPC_ID_LENGTH;
}

/** True for a non-null, non-array object (any JSON object). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const PREVIEW_CHARS = 40;

/** Names a received value briefly for "expected …, got …" messages; never dumps a payload. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    return value.length > PREVIEW_CHARS
      ? `${JSON.stringify(value.slice(0, PREVIEW_CHARS))}… (${value.length} characters)`
      : JSON.stringify(value);
  }
  if (typeof value === "object") return "an object";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  return `a ${typeof value}`;
}

/** The field's value when it is present as an own property (JSON never sets inherited ones). */
function own(body: JsonObject, field: string): unknown {
  return Object.hasOwn(body, field) ? body[field] : undefined;
}

function invalid(type: string, field: string, expected: string, value: unknown): string {
  return `${type}.${field}: expected ${expected}, got ${describeValue(value)}`;
}

/**
 * Refuses fields a request type does not define: the protocol is strict, so a typo such as
 * `max_rounds` is reported instead of silently ignored.
 */
export function checkKnownFields(
  type: string,
  body: JsonObject,
  fields: readonly string[],
): Result<void, string> {
  const unknown = Object.keys(body).filter(
    (key) => key !== "id" && key !== "type" && !fields.includes(key),
  );
  if (unknown.length === 0) return ok(undefined);
  const names = unknown.map((key) => JSON.stringify(key)).join(", ");
  const allowed = ["id", "type", ...fields].join(", ");
  return err(
    `${type}: unknown field${unknown.length > 1 ? "s" : ""} ${names}; allowed fields are ${allowed}`,
  );
}

export function requireNonEmptyString(
  type: string,
  body: JsonObject,
  field: string,
): Result<string, string> {
  const value = own(body, field);
  return typeof value === "string" && value.length > 0
    ? ok(value)
    : err(invalid(type, field, "a non-empty string", value));
}

export function optionalString(
  type: string,
  body: JsonObject,
  field: string,
): Result<string | undefined, string> {
  const value = own(body, field);
  return value === undefined || typeof value === "string"
    ? ok(value)
    : err(invalid(type, field, "a string", value));
}

export function optionalPositiveInteger(
  type: string,
  body: JsonObject,
  field: string,
): Result<number | undefined, string> {
  const value = own(body, field);
  if (value === undefined) return ok(undefined);
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 1
    ? ok(value)
    : err(invalid(type, field, "a positive integer", value));
}

/** True when `value` is a JSON object with a valid id and the given type. */
export function hasEnvelope<T extends string>(
  value: unknown,
  type: T,
): value is JsonObject & { id: IpcId; type: T } {
  return (
    isJsonObject(value) &&
    Object.hasOwn(value, "type") &&
    value.type === type &&
    Object.hasOwn(value, "id") &&
    isIpcId(value.id)
  );
}
