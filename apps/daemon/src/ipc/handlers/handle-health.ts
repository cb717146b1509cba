import { Injectable, Optional } from "@nestjs/common";
import { NERVE_VERSION, type HealthRequest, type HealthResult } from "@nerve/core";
import { FederationService } from "../../federation/federation.service.js";
import { Clock } from "../../kernel/clock.js";
import { ConfigService } from "../../kernel/config.service.js";
import { KernelService } from "../../kernel/kernel.service.js";
import { SenseExecutor } from "../../sense/sense-runtime.types.js";
import { WorkflowLauncher } from "../../workflow/workflow-launcher.js";
import { answer, type IpcRequestHandler } from "../ipc-handler.js";

function federationOf(service: FederationService | undefined): Pick<HealthResult, "federation"> {
  const federation = service?.health() ?? null;
  return federation === null ? {} : { federation };
}

/** `health`: the daemon's identity, uptime and the state of its worker processes. */
@Injectable()
export class HealthHandler implements IpcRequestHandler<"health"> {
  constructor(
    private readonly config: ConfigService,
    private readonly kernel: KernelService,
    private readonly clock: Clock,
    private readonly senses: SenseExecutor,
    private readonly workflows: WorkflowLauncher,
    @Optional() private readonly federation?: FederationService,
  ) {}

  handle(_request: HealthRequest): Promise<HealthResult> {
    return answer(() => ({
      pid: process.pid,
      root: this.config.root,
      uptimeMs: Math.max(0, this.clock.now() - this.kernel.startedAt),
      version: NERVE_VERSION,
      groups: this.senses.groups(),
      workflows: this.workflows.health(),
      ...federationOf(this.federation),
    }));
  }
}
