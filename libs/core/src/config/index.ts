export type {
  CompiledDashboard,
  CompiledConfig,
  CompiledReflex,
  CompiledSense,
  CompiledStore,
  CompiledWorkflow,
  ConfigIssue,
  ConfigReport,
  OverflowPolicy,
  WorkspaceFs,
} from "./config.types.js";
export { compileConfig } from "./compile-config.js";
export { normaliseModulePath } from "./compile-modules.js";
export { COMPUTE_FILES, CONFIG_DEFAULTS, MAX_ROUNDS_RANGE, WORKFLOW_FILES } from "./defaults.js";
export { OVERFLOW_POLICIES } from "./dto/workflow.dto.js";
export { REFLEX_KINDS } from "./dto/reflex.dto.js";
export { formatDuration, parseDuration } from "./duration.js";
export { formatSize, parseSize } from "./size.js";
export { InvalidDurationError } from "./errors/invalid-duration.error.js";
export { findSense, findWorkflow } from "./find.js";
export { formatIssue } from "./format-issue.js";
export { isValidName, NAME_PATTERN } from "./names.js";
export { NodeWorkspaceFs } from "./node-workspace-fs.js";
