import { isMap, isScalar, isSeq } from "yaml";

import type { CompiledReflex, CompiledSense } from "./config.types.js";
import { REFLEX_KEYS, REFLEXES_ONLY_SCHEDULE_SENSES, ReflexDto } from "./dto/reflex.dto.js";
import { durationOr } from "./compile-values.js";
import { isValidName, NAME_PATTERN, parseRemoteSense } from "./names.js";
import { readSettings, validateSection } from "./sections.js";
import { suggest } from "./suggest.js";
import {
  childPath,
  isNothing,
  nodeKind,
  type Entry,
  type Located,
  type YamlContext,
} from "./yaml-context.js";

/** What the reflex compiler needs to know about the `senses` section. */
export interface DeclaredSenses {
  /** Every name under `senses`, valid or not; null when the section is malformed. */
  names: ReadonlyMap<string, Entry> | null;
  /** The senses that compiled, by name. */
  compiled: ReadonlyMap<string, CompiledSense>;
}

/** The `reflexes` section, and every sense some reflex names in `sense` (valid reflex or not). */
export interface ReflexesSection {
  reflexes: CompiledReflex[];
  scheduled: Set<string>;
  /** Where `on` names a sense of another daemon (`node/sense`), for the federation checks. */
  remote: Entry[];
}

const WHAT = 'a reflex: a mapping with "kind: sense", "sense" and "interval" and/or "on"';
const MAX_LISTED = 10;

export function compileReflexes(
  ctx: YamlContext,
  section: Located,
  senses: DeclaredSenses,
): ReflexesSection {
  const out: ReflexesSection = { reflexes: [], scheduled: new Set(), remote: [] };
  if (isNothing(section.node)) return out;
  if (!isSeq(section.node)) {
    const hint = isMap(section.node)
      ? ' (each reflex is a list item starting with "- kind: sense")'
      : "";
    ctx.error(
      "reflexes",
      section.at,
      `expected a list of reflexes${hint}, got ${nodeKind(section.node)}`,
    );
    return out;
  }
  section.node.items.forEach((raw, index) => {
    const path = childPath("reflexes", index);
    const reflex = compileReflex(ctx, ctx.locate(raw, path), path, index, senses, out);
    if (reflex !== null) out.reflexes.push(reflex);
  });
  return out;
}

function compileReflex(
  ctx: YamlContext,
  item: Located,
  path: string,
  index: number,
  senses: DeclaredSenses,
  section: ReflexesSection,
): CompiledReflex | null {
  const scheduled = section.scheduled;
  const errorsBefore = ctx.errors.length;
  if (isNothing(item.node)) {
    ctx.error(path, item.at, `expected ${WHAT}, got nothing`);
    return null;
  }
  const fields = readSettings(ctx, item, path, REFLEX_KEYS, WHAT, (entry) => {
    if (entry.key !== "workflow") return false;
    ctx.error(entry.path, entry.keyNode, REFLEXES_ONLY_SCHEDULE_SENSES);
    return true;
  });
  if (fields === null) return null;
  const dto = validateSection(ctx, ReflexDto, fields, path, item.at);

  const senseEntry = fields.get("sense");
  if (
    senseEntry !== undefined &&
    isScalar(senseEntry.node) &&
    typeof senseEntry.node.value === "string"
  ) {
    scheduled.add(senseEntry.node.value);
    checkSenseName(ctx, senses, senseEntry.node.value, senseEntry.path, senseEntry.at);
  }
  const on = compileOn(ctx, fields.get("on"), senses, section.remote);
  checkHasTrigger(ctx, fields, path, item);

  if (dto === null || typeof dto.sense !== "string" || ctx.errors.length > errorsBefore) {
    return null;
  }
  const sense = dto.sense;
  const onEntry = fields.get("on");
  if (on.includes(sense) && senses.compiled.get(sense)?.throttleMs === 0 && onEntry !== undefined) {
    ctx.warn(
      onEntry.path,
      onEntry.at,
      `sense ${JSON.stringify(sense)} runs on its own signals and has no throttle, so every signal starts ` +
        `another compute; give senses.${sense} a throttle or remove it from "on"`,
    );
  }
  const intervalMs = typeof dto.interval === "string" ? durationOr(dto.interval, 0) : null;
  return { kind: "sense", sense, intervalMs, on, index };
}

/**
 * The names in `on`, without duplicates: local names checked against the declared senses,
 * remote ones (`node/sense`) only for their shape, since another daemon's senses are unknown here.
 */
function compileOn(
  ctx: YamlContext,
  entry: Entry | undefined,
  senses: DeclaredSenses,
  remote: Entry[],
): string[] {
  const on: string[] = [];
  if (entry === undefined || !isSeq(entry.node)) return on;
  entry.node.items.forEach((raw, i) => {
    const path = childPath(entry.path, i);
    const item = ctx.locate(raw, path);
    if (!isScalar(item.node) || typeof item.node.value !== "string") {
      ctx.error(path, item.at, `expected the name of a declared sense, got ${nodeKind(item.node)}`);
      return;
    }
    const name = item.node.value;
    if (name.includes("/")) {
      if (checkRemoteName(ctx, name, path, item.at) && !on.includes(name)) {
        on.push(name);
        remote.push({ key: name, path, keyNode: null, node: item.node, at: item.at });
      }
      return;
    }
    if (checkSenseName(ctx, senses, name, path, item.at) && !on.includes(name)) on.push(name);
  });
  return on;
}

function checkHasTrigger(
  ctx: YamlContext,
  fields: ReadonlyMap<string, Entry>,
  path: string,
  item: Located,
): void {
  const interval = fields.get("interval");
  const on = fields.get("on");
  if (interval !== undefined && !isNothing(interval.node)) return;
  if (on === undefined || isNothing(on.node)) {
    ctx.error(path, item.at, 'a reflex needs "interval", "on", or both; this one has neither');
  } else if (isSeq(on.node) && on.node.items.length === 0) {
    ctx.error(
      on.path,
      on.at,
      '"on" is empty and there is no "interval", so this reflex would never run; ' +
        "list the senses whose signals trigger it, or add an interval",
    );
  }
}

/** Reports a remote sense name that is not `node/sense` (or `*` + `/sense`) with valid names. */
function checkRemoteName(ctx: YamlContext, name: string, path: string, at: Located["at"]): boolean {
  const remote = parseRemoteSense(name);
  if (remote === null) return false;
  const shape = `a remote sense as "node/sense" or "*/sense" (names matching ${NAME_PATTERN.source})`;
  let problem: string | null = null;
  if (remote.node !== "*" && !isValidName(remote.node)) {
    problem = `the node ${JSON.stringify(remote.node)} is not a valid name`;
  } else if (!isValidName(remote.sense)) {
    problem = `the sense ${JSON.stringify(remote.sense)} is not a valid name`;
  }
  if (problem === null) return true;
  ctx.error(path, at, `expected ${shape}, got ${JSON.stringify(name)}: ${problem}`);
  return false;
}

/** Reports a sense name that is not declared, with the closest declared name if there is one. */
function checkSenseName(
  ctx: YamlContext,
  senses: DeclaredSenses,
  name: string,
  path: string,
  at: Located["at"],
): boolean {
  // With a malformed `senses` section every reference would look unknown; that error suffices.
  if (senses.names === null || senses.names.has(name)) return true;
  const declared = [...senses.names.keys()];
  const close = suggest(name, declared);
  let tail: string;
  if (close !== null) tail = `did you mean ${JSON.stringify(close)}?`;
  else if (declared.length === 0) tail = "no senses are declared under senses";
  else {
    const listed = declared.slice(0, MAX_LISTED).join(", ");
    tail = `declared senses: ${listed}${declared.length > MAX_LISTED ? ", …" : ""}`;
  }
  ctx.error(path, at, `unknown sense ${JSON.stringify(name)}; ${tail}`);
  return false;
}
