import { LineCounter, parseDocument } from "yaml";

import type { CompiledConfig, ConfigIssue, ConfigReport, WorkspaceFs } from "./config.types.js";
import { CONFIG_DEFAULTS } from "./defaults.js";
import { TOP_LEVEL_KEYS, TopLevelDto } from "./dto/top-level.dto.js";
import { compileDashboard } from "./compile-dashboard.js";
import { compileModules } from "./compile-modules.js";
import { compileReflexes } from "./compile-reflexes.js";
import { compileSenses } from "./compile-senses.js";
import { compileStore } from "./compile-store.js";
import { compileWorkflows } from "./compile-workflows.js";
import { integerOr } from "./compile-values.js";
import { isValidName } from "./names.js";
import { readSettings, validateSection } from "./sections.js";
import { YamlContext, type Located } from "./yaml-context.js";

const TOP_LEVEL_WHAT = `a mapping with the keys ${TOP_LEVEL_KEYS.join(", ")} at the top level`;
const NOTHING: Located = { node: null, at: null };

/**
 * Parses, validates and compiles nerve.yaml. Every problem is reported at once, each with its
 * YAML path and position; `config` is null when there is any error. Never throws: the caller
 * can hand it whatever is on disk.
 * @param text The content of nerve.yaml.
 * @param fs The workspace, to check that compute, workflow and module files exist.
 */
export function compileConfig(text: string, fs: WorkspaceFs): ConfigReport {
  try {
    return compile(text, fs);
  } catch (error) {
    // A safety net for bugs in the compiler itself: the daemon must keep its running config.
    const reason = error instanceof Error ? error.message : String(error);
    return report(
      [
        {
          path: "",
          line: null,
          col: null,
          message: `internal error while checking nerve.yaml: ${reason}`,
        },
      ],
      [],
      null,
    );
  }
}

function compile(text: string, fs: WorkspaceFs): ConfigReport {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Pick<ConfigIssue, "line" | "col"> => lines.linePos(offset);
  const yamlWarnings = doc.warnings.map((w) => ({
    path: "",
    ...position(w.pos[0]),
    message: w.message,
  }));
  const syntax = doc.errors.filter((e) => e.code !== "DUPLICATE_KEY");
  if (syntax.length > 0) {
    // The tree of a document that does not parse is a guess; checking it would add noise.
    const errors = syntax.map((e) => ({
      path: "",
      ...position(e.pos[0]),
      message: `YAML syntax error: ${e.message}`,
    }));
    return report(errors, yamlWarnings, null);
  }
  const ctx = new YamlContext(doc, lines);
  ctx.warnings.push(...yamlWarnings);
  const root = ctx.locate(doc.contents, "");
  const top = readSettings(ctx, root, "", TOP_LEVEL_KEYS, TOP_LEVEL_WHAT);
  if (top === null) return report(ctx.errors, ctx.warnings, null);
  const dto = validateSection(ctx, TopLevelDto, top, "", root.at);

  const senses = compileSenses(ctx, top.get("senses") ?? NOTHING, fs);
  const compiled = new Map(senses.senses.map((s) => [s.name, s]));
  const reflexes = compileReflexes(ctx, top.get("reflexes") ?? NOTHING, {
    names: senses.declared,
    compiled,
  });
  const workflows = compileWorkflows(ctx, top.get("workflows") ?? NOTHING, fs);
  const modules = compileModules(ctx, top.get("modules"), fs);
  const store = compileStore(ctx, top.get("store"));
  const dashboard = compileDashboard(ctx, top.get("dashboard"));

  for (const [name, entry] of senses.declared ?? []) {
    if (isValidName(name) && !reflexes.scheduled.has(name)) {
      ctx.warn(
        entry.path,
        entry.keyNode,
        `sense ${JSON.stringify(name)} is never scheduled; add a reflex or trigger it by hand`,
      );
    }
  }
  // Repeated keys in mappings the compiler does not walk (they hold some other error too).
  for (const duplicate of doc.errors) {
    if (!coversDuplicate(text, ctx.duplicateOffsets, duplicate.pos[0])) {
      ctx.errors.push({
        path: "",
        ...position(duplicate.pos[0]),
        message: "duplicate key; each key may appear once",
      });
    }
  }
  if (ctx.errors.length > 0) return report(ctx.errors, ctx.warnings, null);
  const config: CompiledConfig = {
    maxRounds: integerOr(dto?.max_rounds, CONFIG_DEFAULTS.maxRounds),
    senses: senses.senses,
    reflexes: reflexes.reflexes,
    workflows,
    modules,
    store,
  };
  if (dashboard !== null) config.dashboard = dashboard;
  return report([], ctx.warnings, config);
}

/**
 * Whether the walker already reported the repeated key yaml flags at `offset`; yaml may point
 * at the whitespace or comments just before the key rather than at the key itself.
 */
function coversDuplicate(text: string, reported: ReadonlySet<number>, offset: number): boolean {
  for (const keyOffset of reported) {
    if (keyOffset >= offset && /^(?:\s|#[^\n]*)*$/.test(text.slice(offset, keyOffset))) return true;
  }
  return false;
}

function report(
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
  config: CompiledConfig | null,
): ConfigReport {
  return {
    ok: errors.length === 0,
    config: errors.length === 0 ? config : null,
    errors: inFileOrder(errors),
    warnings: inFileOrder(warnings),
  };
}

/** Sorted by position (stable), issues without a position last. */
function inFileOrder(issues: ConfigIssue[]): ConfigIssue[] {
  const key = (i: ConfigIssue): [number, number] => [i.line ?? Infinity, i.col ?? Infinity];
  return [...issues].sort((a, b) => {
    const [la, ca] = key(a);
    const [lb, cb] = key(b);
    return la !== lb ? la - lb : ca - cb;
  });
}
