import type { FederationHealth } from "@nerve/core";
import { paint } from "../common/output.js";
import { formatAgo } from "../common/relative-time.js";
import { formatTable } from "../common/table.js";

/** The federation part of `nerve status` on a terminal. */
export function formatFederation(federation: FederationHealth, now = Date.now()): string[] {
  const state =
    federation.state === "connected"
      ? paint("connected", "green")
      : federation.state === "connecting"
        ? paint("connecting", "yellow")
        : paint("disconnected", "red");
  const lag = federation.lag === null ? "-" : String(federation.lag);
  const publish = federation.publish.length === 0 ? "nothing" : federation.publish.join(", ");
  const lines = [
    "",
    `federation: node ${federation.node}, ${state} to ${federation.servers.join(", ")}`,
    `  outbox ${federation.outbox} waiting, lag ${lag}, publishes ${publish}`,
  ];
  if (federation.lastError !== null) lines.push(`  last error: ${federation.lastError}`);
  if (federation.nodes.length > 0) {
    lines.push(
      "",
      formatTable(
        ["NODE", "LAST SEEN", "OUTBOX"],
        federation.nodes.map((node) => [
          node.node,
          formatAgo(node.lastSeenAt, now),
          String(node.outbox),
        ]),
        { align: ["left", "left", "right"] },
      ),
    );
  }
  return lines;
}
