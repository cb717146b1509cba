import type { FederationHealth } from "@nerve/core";
import { describe, expect, it } from "vitest";
import { formatFederation } from "./federation-status.view.js";

const health: FederationHealth = {
  node: "edge-1",
  servers: ["nats://127.0.0.1:4222"],
  state: "disconnected",
  connected: false,
  outbox: 12,
  lag: null,
  publish: ["disk"],
  lastError: "publishing to the broker failed; signals wait in the outbox: TIMEOUT",
  nodes: [{ node: "edge-2", lastSeenAt: 95_000, outbox: 0 }],
};

describe(formatFederation.name, () => {
  it("shows the connection, the outbox, the lag, the last error and the nodes seen", () => {
    const text = formatFederation(health, 100_000).join("\n");
    expect(text).toContain("federation: node edge-1, disconnected to nats://127.0.0.1:4222");
    expect(text).toContain("outbox 12 waiting, lag -, publishes disk");
    expect(text).toContain("last error: publishing to the broker failed");
    expect(text).toMatch(/edge-2\s+5s ago\s+0/);
  });

  it("says when nothing is published and leaves out an error there is not", () => {
    const text = formatFederation(
      {
        ...health,
        state: "connected",
        connected: true,
        publish: [],
        lastError: null,
        lag: 3,
        nodes: [],
      },
      100_000,
    ).join("\n");
    expect(text).toContain("connected to");
    expect(text).toContain("lag 3, publishes nothing");
    expect(text).not.toContain("last error");
    expect(text).not.toContain("NODE");
  });
});
