import { Global, Module } from "@nestjs/common";
import { ReflexModule } from "../reflex/reflex.module.js";
import { WorkflowModule } from "../workflow/workflow.module.js";
import { NerveWorkspace } from "./nerve-workspace.js";

/**
 * The services `@nerve/daemon` offers (SignalBus, SenseRegistry, WorkflowManager,
 * NerveWorkspace; LogStore is global already), made global so that any module of an application
 * embedding the engine injects them by type without importing NerveModule itself.
 */
@Global()
@Module({
  imports: [ReflexModule, WorkflowModule],
  providers: [NerveWorkspace],
  exports: [ReflexModule, WorkflowModule, NerveWorkspace],
})
export class NerveApiModule {}
