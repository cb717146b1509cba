export { WorkflowCommand } from "./workflow.command.js";
export { WorkflowListCommand } from "./workflow-list.command.js";
export { WorkflowInspectCommand } from "./workflow-inspect.command.js";
export { WorkflowThreadCommand } from "./workflow-thread.command.js";
export { WorkflowTriggerCommand } from "./workflow-trigger.command.js";
export { DEFAULT_INSPECT_LIMIT, DEFAULT_LIST_LIMIT, WorkflowService } from "./workflow.service.js";
export { MIN_RUN_ID_PREFIX } from "./run-id.js";
export {
  RunQueries,
  withRunQueries,
  type InspectedRun,
  type Paging,
  type RunInspection,
  type RunPage,
} from "./run-queries.js";
export { AmbiguousRunIdError, UnknownRunError } from "./errors/run-lookup.error.js";
