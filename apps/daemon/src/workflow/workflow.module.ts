import { Module } from "@nestjs/common";
import { ProcessForker } from "../process/process-forker.js";
import { RunJournal } from "./run-journal.js";
import { WorkflowCompiler } from "./workflow-compiler.js";
import { WorkflowHostFactory } from "./workflow-host.factory.js";
import { WorkflowWorkerFactory } from "./workflow-host.types.js";
import { WorkflowLauncher } from "./workflow-launcher.js";
import { WorkflowManager } from "./workflow-manager.service.js";
import { WorkflowReporter } from "./workflow-reporter.js";

/**
 * The workflow engine: one worker process per declared workflow, runs under each workflow's
 * concurrency rule, durable threads. Needs the kernel's ConfigService, DaemonLog, Clock,
 * NERVE_OPTIONS and EventEmitter2, and the store's LogStore and RunStore (all global);
 * WORKFLOW_ENGINE_OPTIONS may be provided to tune timings.
 *
 * Shutdown: WorkflowManager.beforeApplicationShutdown stops the workers (roles aborted, runs
 * in flight left `started`) and waits for its commits; it relies on the store closing later
 * (the store's onApplicationShutdown), which Nest guarantees since the store is global.
 */
@Module({
  providers: [
    ProcessForker,
    WorkflowCompiler,
    WorkflowReporter,
    RunJournal,
    { provide: WorkflowWorkerFactory, useClass: WorkflowHostFactory },
    WorkflowManager,
    { provide: WorkflowLauncher, useExisting: WorkflowManager },
  ],
  exports: [WorkflowManager, WorkflowLauncher],
})
export class WorkflowModule {}
