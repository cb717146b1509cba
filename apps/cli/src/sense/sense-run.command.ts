import { SubCommand } from "nest-commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeRoute, findSense } from "@nerve/core";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { CliError } from "../common/cli-errors.js";
import { paint, printError, printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@SubCommand({
  name: "run",
  arguments: "<name>",
  argsDescription: { name: "the sense to run once" },
  description:
    "run one compute in this process (no daemon) and print the value and how it routes: signal, workflow launch or nothing",
})
export class SenseRunCommand extends DataCommand {
  async run([name]: string[], options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const report = compileConfig(
      readFileSync(join(root, "nerve.yaml"), "utf8"),
      new NodeWorkspaceFs(root),
    );
    if (!report.config) {
      throw new CliError(
        `nerve.yaml is invalid (${report.errors.length} problems); run \`nerve validate\``,
      );
    }
    const sense = findSense(report.config, name);
    if (!sense) {
      const known = report.config.senses.map((s) => s.name).join(", ") || "none";
      throw new CliError(`unknown sense "${name}"; declared senses: ${known}`);
    }
    // The engine's compiler and context builder are loaded only by this command.
    const { runSenseOnce } = await import("@nerve/daemon/sense-run");
    const result = await runSenseOnce(root, sense, (sense, level, message) =>
      printError(`[${level}] ${sense}: ${message}`),
    );
    if (options.json) {
      printJson(result);
      return;
    }
    printLine(JSON.stringify(result.value, null, 2));
    printLine(`${paint("→", "cyan")} ${describeRoute(result.route)}`);
  }
}
