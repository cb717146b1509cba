import type { HealthResult, SupervisionFields } from "@nerve/core";
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
          stateCell(group.state, group.disabled, "running"),
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
          stateCell(workflow.state, workflow.disabled, "ok"),
        ]),
        { align: ["left", "right", "right", "right", "left"] },
      ),
    );
  }
  const troubled = [
    ...health.groups.map((g) => ({ what: `group ${g.name}`, ...g })),
    ...health.workflows.map((w) => ({ what: `workflow ${w.name}`, ...w })),
  ].filter((entry) => entry.disabled || entry.state === "backoff" || (entry.deaths ?? 0) > 0);
  for (const entry of troubled) lines.push("", ...explain(entry.what, entry));
  return lines.join("\n");
}

function stateCell(state: string | undefined, disabled: boolean, fine: string): string {
  if (disabled) return paint(state === "broken" ? "broken" : "disabled", "red");
  if (state === "backoff") return paint("restarting", "yellow");
  return paint(
    state === undefined || state === "running" || state === "ready" ? fine : state,
    "green",
  );
}

/** Why a group or workflow is not running normally, in a few lines. */
export function explain(
  what: string,
  s: SupervisionFields & { disabled: boolean },
  now = Date.now(),
): string[] {
  const lines: string[] = [];
  const deaths =
    s.deaths === undefined
      ? ""
      : `, ${s.deaths} death${s.deaths === 1 ? "" : "s"} in the last ${Math.round((s.deathWindowMs ?? 0) / 1000)} s`;
  lines.push(
    paint(`${what}: ${s.state ?? (s.disabled ? "disabled" : "running")}${deaths}`, "bold"),
  );
  const exit = s.lastExit;
  if (exit) {
    const how = exit.signal !== null ? `signal ${exit.signal}` : `code ${exit.code ?? "?"}`;
    lines.push(
      `  last exit ${formatUptime(Math.max(0, now - exit.at))} ago: ${how} (${exit.reason})`,
    );
    if (exit.error !== null) lines.push(`  error: ${exit.error}`);
    for (const line of exit.stderr) lines.push(paint(`  stderr| ${line}`, "dim"));
  }
  if (s.nextRestartAt) {
    lines.push(`  next restart in ${Math.max(0, s.nextRestartAt - now)} ms`);
  }
  if (s.disabledReason) lines.push(paint(`  disabled: ${s.disabledReason}`, "red"));
  if (s.reenable) lines.push(`  to re-enable: ${s.reenable}`);
  return lines;
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
