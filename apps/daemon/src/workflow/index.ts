// Public names of the workflow engine.
export { WorkflowModule } from "./workflow.module.js";
export { WorkflowManager, type WorkflowManagerState } from "./workflow-manager.service.js";
export {
  WorkflowLauncher,
  MissingWorkflowEngine,
  UnknownWorkflowError,
  WorkflowEngineMissingError,
  type LaunchRequest,
  type LaunchResult,
} from "./workflow-launcher.js";
export {
  WORKFLOW_ENGINE_OPTIONS,
  DEFAULT_WORKFLOW_RESTART_POLICY,
  DEFAULT_RETIRE_GRACE_MS,
  DEFAULT_RESUME_LIMIT,
  type WorkflowEngineOptions,
} from "./workflow-engine.options.js";
export {
  admit,
  type Admission,
  type AdmissionPolicy,
  type Availability,
  type DropReason,
} from "./admission.js";
export { WorkflowSupervisor, type WorkflowState } from "./workflow-supervisor.js";
export {
  WorkflowCompiler,
  WORKFLOW_BUILD_DIR,
  WORKFLOW_WORKER_BUNDLE,
  type WorkflowBuild,
} from "./workflow-compiler.js";
export {
  WorkflowHost,
  DEFAULT_WORKFLOW_HOST_TIMINGS,
  type WorkflowHostOptions,
  type WorkflowHostState,
  type WorkflowHostTimings,
} from "./workflow-host.js";
export { WorkflowHostFactory } from "./workflow-host.factory.js";
export {
  WorkflowWorkerFactory,
  type WorkflowExitReason,
  type WorkflowHostListener,
  type WorkflowWorkerExit,
  type WorkflowWorkerHandle,
} from "./workflow-host.types.js";
export { RunJournal, type RunLaunch, type RunEnding, type CreatedRun } from "./run-journal.js";
export {
  WorkflowReporter,
  type WorkflowEvents,
  type WorkflowExitFollowUp,
} from "./workflow-reporter.js";
export { workflowWorkerFile } from "./workflow-worker-file.js";
export {
  runThread,
  checkThread,
  type ThreadIo,
  type ThreadRun,
} from "./worker/thread-automaton.js";
export {
  WorkflowParentCommand,
  WorkflowWorkerCommand,
  type ThreadEnd,
  type WorkflowWorkerInit,
} from "./worker/messages.js";
export * from "./errors/workflow-runtime.error.js";
export * from "./errors/launch.error.js";
export * from "./errors/thread.error.js";
export * from "./errors/worker.error.js";
