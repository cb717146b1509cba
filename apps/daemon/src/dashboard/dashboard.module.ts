import { Module } from "@nestjs/common";
import { DaemonHealth } from "../lifecycle/daemon-health.service.js";
import { SenseModule } from "../sense/sense.module.js";
import { WorkflowModule } from "../workflow/workflow.module.js";
import { ReflexModule } from "../reflex/reflex.module.js";
import { DashboardData } from "./dashboard-data.js";
import { DashboardFeed } from "./dashboard-feed.js";
import { DashboardServer } from "./dashboard-server.js";

/**
 * The web dashboard (`dashboard:` in nerve.yaml): an HTTP application of its own, served while
 * the block is there, reading through the engine's services (DaemonHealth, SenseRegistry, the
 * log store) and fed live by the signal bus and the log's commits. Needs the kernel's global
 * providers and the store.
 */
@Module({
  imports: [ReflexModule, SenseModule, WorkflowModule],
  providers: [DaemonHealth, DashboardData, DashboardFeed, DashboardServer],
  exports: [DashboardServer],
})
export class DashboardModule {}
