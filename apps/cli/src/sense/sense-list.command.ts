import { SubCommand } from "nest-commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeSenses, formatDuration, type SenseInfo } from "@nerve/core";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { CliError } from "../common/cli-errors.js";
import { paint, printJson, printLine } from "../common/output.js";
import { formatTable } from "../common/table.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { askDaemonIfRunning } from "../daemon/daemon-client.js";
import { formatAgo } from "./relative-time.js";

@SubCommand({
  name: "list",
  description: "senses from nerve.yaml, with live fields when the daemon runs",
})
export class SenseListCommand extends DataCommand {
  async run(_params: string[], options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const senses = (await askDaemonIfRunning(root, "list-senses", {})) ?? fromConfig(root);
    if (options.json) {
      printJson(senses);
      return;
    }
    const live = senses.some((sense) => sense.computes !== null);
    printLine(
      formatTable(
        ["SENSE", "GROUP", "SCHEDULE", "STATE", "COMPUTES", "ERRORS", "LAST COMPUTE", "LAST ERROR"],
        senses.map((sense) => [
          sense.name,
          sense.group,
          schedule(sense),
          state(sense),
          sense.computes === null ? "-" : String(sense.computes),
          sense.errors === null ? "-" : String(sense.errors),
          sense.lastComputeAt === null ? "-" : formatAgo(sense.lastComputeAt),
          sense.lastError ?? "",
        ]),
      ),
    );
    if (!live) printLine(paint("(no daemon running: live fields are empty)", "dim"));
  }
}

function fromConfig(root: string): SenseInfo[] {
  const report = compileConfig(
    readFileSync(join(root, "nerve.yaml"), "utf8"),
    new NodeWorkspaceFs(root),
  );
  if (!report.config) {
    throw new CliError(
      `nerve.yaml is invalid (${report.errors.length} problems); run \`nerve validate\``,
    );
  }
  return describeSenses(report.config);
}

function schedule(sense: SenseInfo): string {
  const parts: string[] = [];
  if (sense.interval !== null) parts.push(`every ${formatDuration(sense.interval)}`);
  if (sense.on.length > 0) parts.push(`on ${sense.on.join(", ")}`);
  return parts.join("; ") || "manual";
}

function state(sense: SenseInfo): string {
  if (sense.disabled) return paint("disabled", "red");
  if (sense.running) return paint("computing", "cyan");
  if (sense.running === false) return paint("idle", "green");
  return "-";
}
