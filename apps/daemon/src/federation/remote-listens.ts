import type { CompiledConfig } from "@nerve/core";

/** Whether a reflex of `config` listens to `sense` of `node`, as `node/sense` or `*` + `/sense`. */
export function remoteListens(config: CompiledConfig, node: string, sense: string): boolean {
  const exact = `${node}/${sense}`;
  const any = `*/${sense}`;
  return config.reflexes.some((reflex) => reflex.on.includes(exact) || reflex.on.includes(any));
}
