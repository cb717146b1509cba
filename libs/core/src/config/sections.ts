import { plainToInstance } from "class-transformer";
import { validateSync } from "./dto/class-validator.js";
import { isMap, type Node as YamlNode } from "yaml";

import {
  childPath,
  isNothing,
  nodeKind,
  plainOf,
  type Entry,
  type Located,
  type YamlContext,
} from "./yaml-context.js";

/**
 * The keys of a settings mapping, by name. An empty value (`cpu:`) has no keys; a value that is
 * not a mapping is reported as `expected <what>` and gives null. Unknown keys are reported
 * unless `special` claims them.
 */
export function readSettings(
  ctx: YamlContext,
  value: Located,
  path: string,
  known: readonly string[],
  what: string,
  special?: (entry: Entry) => boolean,
): Map<string, Entry> | null {
  const fields = new Map<string, Entry>();
  if (isNothing(value.node)) return fields;
  if (!isMap(value.node)) {
    ctx.error(path, value.at, `expected ${what}, got ${nodeKind(value.node)}`);
    return null;
  }
  for (const entry of ctx.entries(value.node, path)) {
    if (known.includes(entry.key)) fields.set(entry.key, entry);
    else if (special?.(entry) !== true) ctx.unknownKey(entry, known);
  }
  return fields;
}

/**
 * Checks the fields of one section against its DTO and reports each failing key at its value
 * (or at the section, for a missing key). Returns the DTO when every key is valid.
 */
export function validateSection<T extends object>(
  ctx: YamlContext,
  dto: new () => T,
  fields: ReadonlyMap<string, Entry>,
  path: string,
  at: YamlNode | null,
): T | null {
  const plain: Record<string, unknown> = {};
  for (const [key, entry] of fields) plain[key] = plainOf(entry.node);
  const instance = plainToInstance(dto, plain);
  const failures = validateSync(instance, { stopAtFirstError: true });
  for (const failure of failures) {
    const message =
      Object.values(failure.constraints ?? {})[0] ?? `invalid value for ${failure.property}`;
    ctx.error(childPath(path, failure.property), fields.get(failure.property)?.at ?? at, message);
  }
  return failures.length === 0 ? instance : null;
}
