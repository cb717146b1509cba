import type { CompiledConfig } from "@nerve/core";

/**
 * Events the kernel publishes on the engine's internal event bus (EventEmitter2 from
 * @nestjs/event-emitter). Signals travel on the same bus under `signal.<sense>` (see SignalBus).
 */
export const KernelEvents = {
  /** A new valid config replaced the running one. Payload: ConfigChangedEvent. */
  configChanged: "kernel.config-changed",
  /** Files of one sense changed (compute file, imports, migrations). Payload: FilesChangedEvent. */
  senseFilesChanged: "kernel.sense-files-changed",
  /** Files of one workflow changed. Payload: FilesChangedEvent. */
  workflowFilesChanged: "kernel.workflow-files-changed",
} as const;

export interface ConfigChangedEvent {
  previous: CompiledConfig;
  next: CompiledConfig;
}

export interface FilesChangedEvent {
  /** Sense or workflow name. */
  name: string;
  /** Changed paths, relative to the workspace root. */
  paths: string[];
}
