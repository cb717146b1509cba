// `@nerve/daemon`: the engine, for the daemon process, `nerve dev`, and apps or tests that embed it.
export { NerveModule } from "./nerve.module.js";
export { startDaemon, type RunningDaemon } from "./bootstrap.js";
export type { NerveOptions } from "./kernel/nerve-options.js";
export { SignalBus } from "./signal/signal-bus.js";
export { OnSignal } from "./signal/on-signal.decorator.js";
export { SenseRegistry } from "./reflex/sense-registry.service.js";
export { WorkflowLauncher } from "./workflow/workflow-launcher.js";
export { LogStore } from "@nerve/store";
