import { Module } from "@nestjs/common";
import { ReflexModule } from "../reflex/reflex.module.js";
import { SenseModule } from "../sense/sense.module.js";
import { WorkflowModule } from "../workflow/workflow.module.js";
import { DaemonLifecycle } from "./daemon-lifecycle.service.js";

@Module({
  imports: [ReflexModule, SenseModule, WorkflowModule],
  providers: [DaemonLifecycle],
  exports: [DaemonLifecycle],
})
export class LifecycleModule {}
