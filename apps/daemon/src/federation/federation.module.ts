import { Global, Module } from "@nestjs/common";
import { SignalModule } from "../signal/signal.module.js";
import { WorkflowModule } from "../workflow/workflow.module.js";
import { BrokerConnector } from "./broker-connector.js";
import { FederationService } from "./federation.service.js";

/**
 * Signals across hosts over NATS JetStream (see docs/FEDERATION.md). Imports the signal module;
 * expects the kernel's ConfigService, DaemonLog and Clock and the store's LogStore, all global.
 * Does nothing unless nerve.yaml has a `federation` block. Global, so the IPC health handler
 * can read its state (optionally) without the socket module depending on the broker's.
 */
@Global()
@Module({
  imports: [SignalModule, WorkflowModule],
  providers: [BrokerConnector, FederationService],
  exports: [FederationService],
})
export class FederationModule {}
