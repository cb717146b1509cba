import { Module } from "@nestjs/common";
import { MissingWorkflowEngine, WorkflowLauncher } from "./workflow-launcher.js";

/** Starts workflow runs. Until the workflow engine lands, every launch fails loudly. */
@Module({
  providers: [{ provide: WorkflowLauncher, useClass: MissingWorkflowEngine }],
  exports: [WorkflowLauncher],
})
export class WorkflowModule {}
