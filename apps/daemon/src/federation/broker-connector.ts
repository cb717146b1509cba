import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Injectable } from "@nestjs/common";
import type { NatsConnection } from "@nats-io/transport-node";
import type { CompiledFederation } from "@nerve/core";

/**
 * Opens the connection to the cluster's NATS servers (the one place the daemon reaches the
 * network for the federation, so a test can swap it). The connection retries for ever, both the
 * first time and after a loss: a broker that is down never stops the daemon.
 */
@Injectable()
export class BrokerConnector {
  async connect(root: string, federation: CompiledFederation): Promise<NatsConnection> {
    // Loaded here: a daemon without a federation never loads the NATS client.
    const { connect, credsAuthenticator } = await import("@nats-io/transport-node");
    const file = federation.credentialsFile;
    return connect({
      servers: federation.servers,
      name: `nerve:${federation.node}`,
      waitOnFirstConnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      pingInterval: 10_000,
      // Read at every (re)connect, so a rotated credentials file is picked up.
      authenticator:
        file === null ? undefined : credsAuthenticator(() => readFileSync(resolve(root, file))),
    });
  }
}
