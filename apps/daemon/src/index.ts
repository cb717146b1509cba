/**
 * `@nerve/daemon`: the engine, for the daemon process, `nerve dev`, Nest modules that extend it
 * (listed under `modules:` in nerve.yaml) and applications or tests that embed it.
 *
 * @packageDocumentation
 */
export { NerveModule, type NerveModuleOptions } from "./nerve.module.js";
export { startDaemon, type RunningDaemon, type StartDaemonOptions } from "./bootstrap.js";
export type { NerveOptions } from "./kernel/nerve-options.js";

// Injectable by type in user modules and embedding applications.
export { SignalBus } from "./signal/signal-bus.js";
export type { SignalHandler, SignalSource } from "./signal/signal-events.js";
export { OnSignal } from "./signal/on-signal.decorator.js";
export { InvalidSignalSubscriptionError } from "./signal/errors/signal.error.js";
export { LogStore, type RunListQuery, type RunThread, type WorkflowRunRecord } from "@nerve/store";
export { WorkflowManager } from "./workflow/workflow-manager.service.js";
export {
  UnknownWorkflowError,
  type LaunchRequest,
  type LaunchResult,
} from "./workflow/workflow-launcher.js";
export {
  WorkflowEngineStoppedError,
  WorkflowLaunchRejectedError,
  InvalidMaxRoundsError,
  InvalidPromptError,
  InvalidRunPayloadError,
} from "./workflow/errors/launch.error.js";
export { SenseRegistry } from "./reflex/sense-registry.service.js";
// The time source and the timers of the scheduler: a test replaces both to run on a virtual
// clock (`@nerve/testing`), and waits for the scheduler to be idle.
export { Clock } from "./kernel/clock.js";
export { RegistryTimeoutHost } from "./reflex/registry-timeout-host.js";
export type { TimeoutHost } from "./reflex/interval-timer.js";
export { ReflexScheduler } from "./reflex/reflex-scheduler.service.js";
export { SchedulerStoppedError, UnknownSenseError } from "./reflex/errors/index.js";
export { NerveWorkspace } from "./modules/nerve-workspace.js";

// The state of the modules listed under `modules:` and why one failed.
export {
  ModuleHost,
  type UserModuleState,
  type UserModuleStatus,
} from "./modules/module-host.service.js";
export {
  UserModuleError,
  ModuleCompileError,
  ModuleImportError,
  ModuleExportError,
  ModuleInitError,
  ModuleTimeoutError,
  type ModuleStage,
} from "./modules/errors/module.error.js";

// Types of what the services take and return, so a module needs no second import for them.
export type {
  LogQuery,
  LogRow,
  NewLogRow,
  SenseInfo,
  Signal,
  TriggerSenseResult,
  WorkflowRunView,
} from "@nerve/core";
