import type { CompiledConfig, CompiledSense, CompiledWorkflow } from "./config.types.js";

/** Name → entry (the first of that name) of each list seen; rebuilt when its length changed. */
const indexes = new WeakMap<readonly { name: string }[], Map<string, { name: string }>>();

/**
 * The entry called `name` of `list`. Looked up on every compute: an index per list (kept while
 * the list lives) instead of a scan, which at a thousand senses cost a thousand string
 * comparisons per compute.
 */
function byName<T extends { name: string }>(list: readonly T[], name: string): T | undefined {
  let index = indexes.get(list) as Map<string, T> | undefined;
  if (index === undefined || index.size !== list.length) {
    index = new Map();
    for (const entry of list) if (!index.has(entry.name)) index.set(entry.name, entry);
    indexes.set(list, index);
  }
  return index.get(name);
}

/** The compiled sense called `name`, if declared. */
export function findSense(config: CompiledConfig, name: string): CompiledSense | undefined {
  return byName(config.senses, name);
}

/** The compiled workflow called `name`, if declared. */
export function findWorkflow(config: CompiledConfig, name: string): CompiledWorkflow | undefined {
  return byName(config.workflows, name);
}
