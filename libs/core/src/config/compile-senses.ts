import { isMap } from "yaml";

import type { CompiledSense, WorkspaceFs } from "./config.types.js";
import { COMPUTE_FILES, CONFIG_DEFAULTS } from "./defaults.js";
import { SENSE_KEYS, SenseDto } from "./dto/sense.dto.js";
import { durationOr, firstFile } from "./compile-values.js";
import { invalidNameMessage, isValidName } from "./names.js";
import { readSettings, validateSection } from "./sections.js";
import { isNothing, nodeKind, type Entry, type Located, type YamlContext } from "./yaml-context.js";

/** The `senses` section: each declared name with its entry, and the compiled senses. */
export interface SensesSection {
  /** Null when the section itself is malformed, so references to senses cannot be checked. */
  declared: Map<string, Entry> | null;
  senses: CompiledSense[];
}

const WHAT = `a mapping of sense settings (${SENSE_KEYS.join(", ")}) or nothing for the defaults`;

export function compileSenses(ctx: YamlContext, section: Located, fs: WorkspaceFs): SensesSection {
  if (isNothing(section.node)) return { declared: new Map(), senses: [] };
  if (!isMap(section.node)) {
    ctx.error(
      "senses",
      section.at,
      `expected a mapping of sense names to settings, got ${nodeKind(section.node)}`,
    );
    return { declared: null, senses: [] };
  }
  const declared = new Map<string, Entry>();
  const senses: CompiledSense[] = [];
  for (const entry of ctx.entries(section.node, "senses")) {
    declared.set(entry.key, entry);
    const sense = compileSense(ctx, entry, fs);
    if (sense !== null) senses.push(sense);
  }
  return { declared, senses };
}

function compileSense(ctx: YamlContext, entry: Entry, fs: WorkspaceFs): CompiledSense | null {
  const validName = isValidName(entry.key);
  if (!validName)
    ctx.error(entry.path, entry.keyNode, invalidNameMessage("sense", JSON.stringify(entry.key)));
  const fields = readSettings(ctx, entry, entry.path, SENSE_KEYS, WHAT);
  const dto = fields === null ? null : validateSection(ctx, SenseDto, fields, entry.path, entry.at);
  // A name that could escape senses/ is never used to build a path.
  const computeFile = validName ? firstFile(fs, `senses/${entry.key}`, COMPUTE_FILES) : null;
  if (validName && computeFile === null) {
    ctx.error(
      entry.path,
      entry.keyNode,
      `sense ${JSON.stringify(entry.key)} has no compute file: expected senses/${entry.key}/${COMPUTE_FILES[0]} ` +
        `(or ${COMPUTE_FILES.slice(1).join(" / ")})`,
    );
  }
  if (dto === null || !validName) return null;
  return {
    name: entry.key,
    group: typeof dto.group === "string" ? dto.group : CONFIG_DEFAULTS.group,
    throttleMs: durationOr(dto.throttle, CONFIG_DEFAULTS.throttleMs),
    timeoutMs: durationOr(dto.timeout, CONFIG_DEFAULTS.timeoutMs),
    gracePeriodMs: durationOr(dto.grace_period, CONFIG_DEFAULTS.gracePeriodMs),
    computeFile,
  };
}
