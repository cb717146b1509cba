export { WorkflowCommand } from "./workflow.command.js";
export { DEFAULT_LIST_LIMIT, WorkflowListCommand } from "./workflow-list.command.js";
export { DEFAULT_INSPECT_LIMIT, WorkflowInspectCommand } from "./workflow-inspect.command.js";
export { WorkflowThreadCommand } from "./workflow-thread.command.js";
export { WorkflowTriggerCommand } from "./workflow-trigger.command.js";
export {
  MIN_RUN_ID_PREFIX,
  RunQueries,
  withRunQueries,
  type InspectedRun,
  type Paging,
  type RunInspection,
  type RunPage,
} from "./run-queries.js";
export { AmbiguousRunIdError, UnknownRunError } from "./errors/run-lookup.error.js";
