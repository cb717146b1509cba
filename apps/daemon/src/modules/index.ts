// User Nest modules: loading them (`modules:` in nerve.yaml) and what they may inject.
export { ModuleHost, type UserModuleState, type UserModuleStatus } from "./module-host.service.js";
export { NerveApiModule } from "./nerve-api.module.js";
export { NerveWorkspace } from "./nerve-workspace.js";
export { ModuleCompiler, MODULE_BUILD_DIR, type ModuleBuild } from "./module-compiler.js";
export { ModuleContexts, DEFAULT_MODULE_TIMEOUTS, type ModuleTimeouts } from "./module-context.js";
export {
  pickModule,
  isModuleClass,
  isDynamicModule,
  type UserModuleDefinition,
} from "./module-export.js";
export { EngineBridgeModule, type EngineServices } from "./engine-bridge.js";
export { SignalListenerBinder } from "./signal-listener-binder.js";
export * from "./errors/module.error.js";
