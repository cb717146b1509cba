import { Module } from "@nestjs/common";
import { SenseModule } from "../sense/sense.module.js";
import { SignalModule } from "../signal/signal.module.js";
import { WorkflowModule } from "../workflow/workflow.module.js";
import { ComputeOutcomeHandler } from "./compute-outcome-handler.js";
import { ReflexScheduler } from "./reflex-scheduler.service.js";
import { RegistryTimeoutHost } from "./registry-timeout-host.js";
import { SenseRegistry } from "./sense-registry.service.js";

/**
 * The reflex scheduler and the sense registry (and, re-exported, the signal bus). Imports the
 * sense module (SenseExecutor) and the workflow module (WorkflowLauncher); expects from the
 * application the kernel's ConfigService, DaemonLog and Clock, SchedulerRegistry
 * (`ScheduleModule.forRoot()`), EventEmitter2 with wildcards and LogStore, all global.
 */
@Module({
  imports: [SignalModule, SenseModule, WorkflowModule],
  providers: [RegistryTimeoutHost, ComputeOutcomeHandler, ReflexScheduler, SenseRegistry],
  exports: [SignalModule, ReflexScheduler, SenseRegistry],
})
export class ReflexModule {}
