// The light entry: SDK types and constants for user code, the protocol and routing the daemon
// and CLI share. The config compiler (yaml + class-validator) is served by "@nerve/core/config"
// so that sense workers and quick commands do not load it.
export * from "./sdk/signal.js";
export * from "./sdk/sense.js";
export * from "./sdk/workflow.js";
export * from "./log/log-row.js";
export * from "./workflow/run.js";
export * from "./result.js";
export * from "./version.js";
export * from "./daemon-node-flags.js";
export * from "./routing/index.js";
export * from "./ipc/index.js";
export type * from "./config/config.types.js";
export {
  COMPUTE_FILES,
  CONFIG_DEFAULTS,
  MAX_ROUNDS_RANGE,
  WORKFLOW_FILES,
} from "./config/defaults.js";
export { formatDuration, parseDuration } from "./config/duration.js";
export { formatSize, parseSize } from "./config/size.js";
export { InvalidDurationError } from "./config/errors/invalid-duration.error.js";
export { findSense, findWorkflow } from "./config/find.js";
export { formatIssue } from "./config/format-issue.js";
export { isValidName, NAME_PATTERN } from "./config/names.js";
export { describeSenses } from "./config/sense-info.js";
