// Public names of the sense runtime.
export { SenseModule } from "./sense.module.js";
export { SenseRuntime, type SenseRuntimeState } from "./sense-runtime.service.js";
export {
  SenseExecutor,
  type ComputeOutcome,
  type ComputeRequest,
  type ComputeRoute,
  type SenseAvailability,
  type SerializedError,
} from "./sense-runtime.types.js";
export { SENSE_RUNTIME_OPTIONS, type SenseRuntimeOptions } from "./sense-runtime.options.js";
export {
  DEFAULT_RESTART_POLICY,
  RestartTracker,
  crashLoopReason,
  type RestartDecision,
  type RestartPolicy,
} from "../process/restart-tracker.js";
export {
  SenseCompiler,
  SENSE_BUILD_DIR,
  WORKER_BUNDLE,
  type SenseBuild,
  type SenseBuildOk,
  type SenseBuildFailed,
} from "./sense-compiler.js";
export { GroupSupervisor, type GroupState } from "./group-supervisor.js";
export { WorkerHost } from "./worker-host.js";
export { WorkerHostFactory } from "./worker-host.factory.js";
export {
  DEFAULT_WORKER_TIMINGS,
  SenseWorkerFactory,
  type WorkerHostOptions,
  type WorkerHostState,
  type WorkerHostTimings,
  type SenseWorkerHandle,
  type WorkerExitInfo,
  type WorkerExitReason,
  type WorkerHostListener,
} from "./worker-host.types.js";
export { ProcessForker } from "../process/process-forker.js";
export { SenseReporter, type GroupReporter } from "./sense-reporter.js";
export type { ExitFollowUp } from "../process/worker-exit.js";
export { senseWorkerFile } from "./worker-file.js";
export * from "./errors/sense-runtime.error.js";
export * from "./errors/sense-compile.error.js";
export { formatProblem, type CompileProblem } from "../process/compile-problem.js";
export * from "./errors/worker.error.js";
export {
  ParentCommand,
  WorkerCommand,
  type WorkerInit,
  type WorkerSenseSpec,
  type SenseInitFailure,
} from "./worker/messages.js";
