import type { CompiledConfig, CompiledSense, CompiledWorkflow } from "./config.types.js";

/** The compiled sense called `name`, if declared. */
export function findSense(config: CompiledConfig, name: string): CompiledSense | undefined {
  return config.senses.find((sense) => sense.name === name);
}

/** The compiled workflow called `name`, if declared. */
export function findWorkflow(config: CompiledConfig, name: string): CompiledWorkflow | undefined {
  return config.workflows.find((workflow) => workflow.name === name);
}
