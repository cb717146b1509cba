import { err, ok, type Result } from "../result.js";
import { PayloadError } from "./errors/payload.error.js";

/** Largest payload a signal or a workflow run may carry: 1 MiB of UTF-8 JSON text. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

const BLOB_HINT = "store large data with ctx.blobs.put() and return its hash";

type Segment = string | number;
type Slot = "root" | "array" | "object";

/** The first value, depth first in key order, that JSON would refuse or silently change. */
interface Offence {
  path: Segment[];
  what: string;
}

/** Walk state: the path and the chain of containers from the root to the current value. */
interface Walk {
  path: Segment[];
  ancestors: object[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.items[3].n`, with non-identifier keys quoted: `$["a b"]`. */
export function formatJsonPath(path: readonly Segment[]): string {
  let out = "$";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * Built-ins that JSON.stringify turns into `{}` (or an index-keyed object) without a word.
 * Only consulted for objects whose prototype is not Object.prototype, so plain data pays nothing.
 */
function describeLossyObject(value: object): string | null {
  if (value instanceof Map) {
    return "a Map (JSON would write {}; convert it with Object.fromEntries())";
  }
  if (value instanceof Set) return "a Set (JSON would write {}; convert it with Array.from())";
  if (value instanceof WeakMap || value instanceof WeakSet)
    return "a WeakMap or WeakSet (JSON would write {})";
  if (value instanceof Promise) return "a Promise (await it before returning)";
  if (value instanceof RegExp) return "a RegExp (JSON would write {}; use its .source)";
  if (value instanceof Error) return "an Error (JSON would write {}; return its message)";
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    return "binary data (JSON would mangle it; store it with ctx.blobs.put() and return its hash)";
  }
  return null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity, never called
const DATE_TO_JSON = Date.prototype.toJSON;

/** Checks one value the way JSON.stringify would see it (after toJSON), depth first. */
function check(input: unknown, key: string, slot: Slot, walk: Walk): Offence | null {
  let value = input;
  if ((typeof value === "object" && value !== null) || typeof value === "bigint") {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (toJSON === DATE_TO_JSON && value instanceof Date) {
      // Skips building the ISO string twice on the hot path; an invalid Date would become null.
      return Number.isNaN(value.getTime())
        ? { path: [...walk.path], what: "an invalid Date (JSON would write it as null)" }
        : null;
    }
    if (typeof toJSON === "function") {
      try {
        value = toJSON.call(value, key) as unknown;
      } catch (error) {
        return { path: [...walk.path], what: `a value whose toJSON() threw: ${errorText(error)}` };
      }
    }
  }
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value)
        ? null
        : { path: [...walk.path], what: `${value} (JSON would write it as null)` };
    case "bigint":
      return { path: [...walk.path], what: "a BigInt (convert it with String() or Number())" };
    case "function":
      return { path: [...walk.path], what: "a function" };
    case "symbol":
      return { path: [...walk.path], what: "a symbol" };
    case "undefined":
      // Inside objects JSON drops the key, which is what a sense means by "no value".
      if (slot === "object") return null;
      return {
        path: [...walk.path],
        what: slot === "array" ? "undefined (JSON would write it as null)" : "undefined",
      };
    case "object":
      return value === null ? null : checkContainer(value, walk);
  }
}

function checkContainer(value: object, walk: Walk): Offence | null {
  const seenAt = walk.ancestors.indexOf(value);
  if (seenAt >= 0) {
    return {
      path: [...walk.path],
      what: `a circular reference to ${formatJsonPath(walk.path.slice(0, seenAt))}`,
    };
  }
  walk.ancestors.push(value);
  let found: Offence | null = null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && found === null; i++) {
      found = checkMember(value as unknown[], i, "array", walk);
    }
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    const lossy = proto === Object.prototype || proto === null ? null : describeLossyObject(value);
    if (lossy !== null) found = { path: [...walk.path], what: lossy };
    const record = value as Record<string, unknown>;
    const keys = found === null ? Object.keys(record) : [];
    for (let i = 0; i < keys.length && found === null; i++) {
      found = checkMember(record, keys[i], "object", walk);
    }
  }
  walk.ancestors.pop();
  return found;
}

function checkMember(
  container: Readonly<Record<string, unknown>> | readonly unknown[],
  key: string | number,
  slot: Slot,
  walk: Walk,
): Offence | null {
  walk.path.push(key);
  let found: Offence | null;
  try {
    const member = (container as Readonly<Record<string | number, unknown>>)[key];
    found = check(member, String(key), slot, walk);
  } catch (error) {
    // A getter or proxy trap of this member threw. Stack exhaustion must unwind to the top,
    // where it is reported as nesting too deep.
    if (error instanceof RangeError) throw error;
    found = { path: [...walk.path], what: `unreadable: reading it threw ${errorText(error)}` };
  }
  walk.path.pop();
  return found;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] =
    bytes < 1024 * 1024 ? [bytes / 1024, "KiB"] : [bytes / (1024 * 1024), "MiB"];
  return `${bytes} bytes (${Number(value.toFixed(2))} ${unit})`;
}

/** Children of a container with their JSON sizes; only called on the too-large path. */
function childSizes(value: object): { segment: Segment; child: unknown; bytes: number }[] {
  const entries: [Segment, unknown][] = Array.isArray(value)
    ? (value as unknown[]).map((child, i) => [i, child])
    : Object.entries(value);
  const sizes = [];
  for (const [segment, child] of entries) {
    const text = JSON.stringify(child) as string | undefined;
    if (text !== undefined) sizes.push({ segment, child, bytes: Buffer.byteLength(text, "utf8") });
  }
  return sizes;
}

/** Follows the biggest child while it holds most of the bytes, to point at the bulk. */
function locateBulk(root: unknown, totalBytes: number): { path: Segment[]; bytes: number } {
  const path: Segment[] = [];
  let value = root;
  let bytes = totalBytes;
  while (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON !== "function"
  ) {
    let biggest: ReturnType<typeof childSizes>[number] | undefined;
    for (const entry of childSizes(value)) {
      if (biggest === undefined || entry.bytes > biggest.bytes) biggest = entry;
    }
    if (biggest === undefined || biggest.bytes * 2 < bytes) break;
    path.push(biggest.segment);
    value = biggest.child;
    bytes = biggest.bytes;
  }
  return { path, bytes };
}

function notSerializable(path: string, what: string): PayloadError {
  return new PayloadError(
    "not_serializable",
    `payload is not JSON-serialisable: ${path} is ${what}`,
    { path },
  );
}

/**
 * Writes a sense result or run payload as JSON, refusing anything JSON would lose or change.
 *
 * Refused as `not_serializable`, naming the JSON path of the first offending value (depth first,
 * in key order) and what it is: BigInt, function, symbol, circular reference, `NaN` and
 * `±Infinity` (JSON would silently write `null`), `undefined` inside an array or as the whole
 * value, built-ins that JSON turns into `{}` (Map, Set, WeakMap, WeakSet, Promise, RegExp,
 * Error, ArrayBuffer and typed arrays), a `toJSON()` or getter that throws, and nesting too deep
 * to walk, and invalid Dates (JSON writes `null`). Accepted as JSON does it: `undefined` object values are dropped, values with
 * `toJSON()` (Date, Buffer) are written as their `toJSON()` result, class instances as their own
 * enumerable properties, symbol keys are ignored.
 *
 * Refused as `too_large` when the UTF-8 text exceeds `limitBytes` (exactly `limitBytes` is fine);
 * the message gives the size, the limit, where most of the bytes are, and a hint to use blobs.
 *
 * One pass checks the value before `JSON.stringify` runs without a replacer (cheaper than a
 * replacer function, which V8 calls for every value).
 */
export function serializePayload(
  value: unknown,
  limitBytes: number = MAX_PAYLOAD_BYTES,
): Result<string, PayloadError> {
  let offence: Offence | null;
  try {
    offence = check(value, "", "root", { path: [], ancestors: [] });
  } catch (error) {
    if (error instanceof RangeError) {
      return err(notSerializable("$", "nested too deeply to serialise"));
    }
    return err(notSerializable("$", `unreadable: reading it threw ${errorText(error)}`));
  }
  if (offence !== null) return err(notSerializable(formatJsonPath(offence.path), offence.what));

  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // Reached only when toJSON() or a getter behaves differently on a second call.
    return err(notSerializable("$", `not serialisable: ${errorText(error)}`));
  }
  if (text === undefined) return err(notSerializable("$", "a value JSON writes as nothing"));

  // A UTF-16 unit is at most three UTF-8 bytes, so short texts skip the exact count.
  if (text.length * 3 <= limitBytes) return ok(text);
  const sizeBytes = Buffer.byteLength(text, "utf8");
  if (sizeBytes <= limitBytes) return ok(text);

  const bulk = locateBulk(value, sizeBytes);
  const where =
    bulk.path.length === 0
      ? ""
      : `; most of it is in ${formatJsonPath(bulk.path)} (${formatSize(bulk.bytes)})`;
  return err(
    new PayloadError(
      "too_large",
      `payload is too large: ${formatSize(sizeBytes)} of JSON, over the limit of ${formatSize(limitBytes)}${where}. Hint: ${BLOB_HINT}`,
      { path: formatJsonPath(bulk.path), sizeBytes, limitBytes },
    ),
  );
}
