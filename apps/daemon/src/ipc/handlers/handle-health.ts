import { Injectable } from "@nestjs/common";
import type { HealthRequest, HealthResult } from "@nerve/core";
import { DaemonHealth } from "../../lifecycle/daemon-health.service.js";
import { answer, type IpcRequestHandler } from "../ipc-handler.js";

/** `health`: the daemon's identity, uptime and the state of its worker processes. */
@Injectable()
export class HealthHandler implements IpcRequestHandler<"health"> {
  constructor(private readonly health: DaemonHealth) {}

  handle(_request: HealthRequest): Promise<HealthResult> {
    return answer(() => this.health.current());
  }
}
