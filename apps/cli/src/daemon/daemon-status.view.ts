import type { HealthResult } from "@nerve/core";
import { paint } from "../common/output.js";
import { formatTable } from "../common/table.js";

/** `nerve status` on a terminal. */
export function formatHealth(health: HealthResult): string {
  const lines = [
    `${paint("●", "green")} daemon running (pid ${health.pid}, up ${formatUptime(health.uptimeMs)}, version ${health.version})`,
    `  workspace ${health.root}`,
  ];
  if (health.dashboard !== undefined) {
    lines.push(`  dashboard ${health.dashboard.url} (\`nerve dashboard\` opens it)`);
  }
  lines.push("");
  if (health.groups.length > 0) {
    lines.push(
      formatTable(
        ["GROUP", "PID", "RESTARTS", "STATE", "SENSES"],
        health.groups.map((group) => [
          group.name,
          group.pid === null ? "-" : String(group.pid),
          String(group.restarts),
          group.disabled ? paint("disabled", "red") : paint("running", "green"),
          group.senses.join(", "),
        ]),
        { align: ["left", "right", "right", "left", "left"] },
      ),
    );
  }
  if (health.workflows.length > 0) {
    lines.push(
      "",
      formatTable(
        ["WORKFLOW", "PID", "ACTIVE", "QUEUED", "STATE"],
        health.workflows.map((workflow) => [
          workflow.name,
          workflow.pid === null ? "-" : String(workflow.pid),
          String(workflow.active),
          String(workflow.queued),
          workflow.disabled ? paint("disabled", "red") : paint("ok", "green"),
        ]),
        { align: ["left", "right", "right", "right", "left"] },
      ),
    );
  }
  return lines.join("\n");
}

export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ""}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${m % 60 ? `${m % 60}m` : ""}`;
  return `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ""}`;
}
