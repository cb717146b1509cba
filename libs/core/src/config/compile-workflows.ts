import { isMap } from "yaml";

import type { CompiledWorkflow, OverflowPolicy, Placement, WorkspaceFs } from "./config.types.js";
import { CONFIG_DEFAULTS, WORKFLOW_FILES } from "./defaults.js";
import { OVERFLOW_POLICIES, PLACEMENTS, WORKFLOW_KEYS, WorkflowDto } from "./dto/workflow.dto.js";
import { firstFile, integerOr } from "./compile-values.js";
import { invalidNameMessage, isValidName } from "./names.js";
import { readSettings, validateSection } from "./sections.js";
import { isNothing, nodeKind, type Entry, type Located, type YamlContext } from "./yaml-context.js";

const WHAT = `a mapping of workflow settings (${WORKFLOW_KEYS.join(", ")}) or nothing for the defaults`;

/** The `workflows` section, in YAML order; invalid entries are reported and left out. */
export function compileWorkflows(
  ctx: YamlContext,
  section: Located,
  fs: WorkspaceFs,
): CompiledWorkflow[] {
  if (isNothing(section.node)) return [];
  if (!isMap(section.node)) {
    ctx.error(
      "workflows",
      section.at,
      `expected a mapping of workflow names to settings, got ${nodeKind(section.node)}`,
    );
    return [];
  }
  const workflows: CompiledWorkflow[] = [];
  for (const entry of ctx.entries(section.node, "workflows")) {
    const workflow = compileWorkflow(ctx, entry, fs);
    if (workflow !== null) workflows.push(workflow);
  }
  return workflows;
}

function compileWorkflow(ctx: YamlContext, entry: Entry, fs: WorkspaceFs): CompiledWorkflow | null {
  const validName = isValidName(entry.key);
  if (!validName)
    ctx.error(entry.path, entry.keyNode, invalidNameMessage("workflow", JSON.stringify(entry.key)));
  const fields = readSettings(ctx, entry, entry.path, WORKFLOW_KEYS, WHAT);
  const dto =
    fields === null ? null : validateSection(ctx, WorkflowDto, fields, entry.path, entry.at);
  // A name that could escape workflows/ is never used to build a path.
  const file = validName ? firstFile(fs, `workflows/${entry.key}`, WORKFLOW_FILES) : null;
  if (validName && file === null) {
    ctx.error(
      entry.path,
      entry.keyNode,
      `workflow ${JSON.stringify(entry.key)} has no definition file: expected workflows/${entry.key}/${WORKFLOW_FILES[0]} ` +
        `(or ${WORKFLOW_FILES.slice(1).join(" / ")})`,
    );
  }
  if (dto === null || !validName) return null;
  return {
    name: entry.key,
    concurrency: integerOr(dto.concurrency, CONFIG_DEFAULTS.concurrency),
    overflow: isOverflow(dto.overflow) ? dto.overflow : CONFIG_DEFAULTS.overflow,
    maxQueue: integerOr(dto.max_queue, CONFIG_DEFAULTS.maxQueue),
    placement: isPlacement(dto.placement) ? dto.placement : CONFIG_DEFAULTS.placement,
    file,
  };
}

function isOverflow(value: unknown): value is OverflowPolicy {
  return (OVERFLOW_POLICIES as readonly unknown[]).includes(value);
}

function isPlacement(value: unknown): value is Placement {
  return (PLACEMENTS as readonly unknown[]).includes(value);
}
