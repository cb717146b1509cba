import { Injectable } from "@nestjs/common";
import { NERVE_VERSION, type HealthResult } from "@nerve/core";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DashboardAddress } from "../kernel/dashboard-address.js";
import { KernelService } from "../kernel/kernel.service.js";
import { SenseExecutor } from "../sense/sense-runtime.types.js";
import { WorkflowLauncher } from "../workflow/workflow-launcher.js";

/**
 * The daemon's health as `health` answers it: identity, uptime, worker processes and, while it
 * is on, where the dashboard is. One place, read by the socket handler and the dashboard alike.
 */
@Injectable()
export class DaemonHealth {
  constructor(
    private readonly config: ConfigService,
    private readonly kernel: KernelService,
    private readonly clock: Clock,
    private readonly senses: SenseExecutor,
    private readonly workflows: WorkflowLauncher,
    private readonly dashboard: DashboardAddress,
  ) {}

  current(): HealthResult {
    const health: HealthResult = {
      pid: process.pid,
      root: this.config.root,
      uptimeMs: Math.max(0, this.clock.now() - this.kernel.startedAt),
      version: NERVE_VERSION,
      groups: this.senses.groups(),
      workflows: this.workflows.health(),
    };
    if (this.dashboard.url !== null) health.dashboard = { url: this.dashboard.url };
    return health;
  }
}
