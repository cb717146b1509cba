import { Injectable } from "@nestjs/common";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatIssue, type ConfigReport } from "@nerve/core";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { CliError, ReportedFailure } from "../common/cli-errors.js";
import { paint, printJson, printLine } from "../common/output.js";
import { CONFIG_FILE, findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";

/** `nerve validate`. */
@Injectable()
export class ValidateService {
  /** Reads `nerve.yaml` of the workspace and checks it and the files it names. */
  validate(root: string): ConfigReport {
    const file = join(root, CONFIG_FILE);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
    return compileConfig(text, new NodeWorkspaceFs(root));
  }

  /** Prints every error and warning; a ReportedFailure (exit 1) if there is an error. */
  report(options: WorkspaceOptions): void {
    const root = findWorkspace({ root: options.root });
    const report = this.validate(root);
    if (options.json) {
      printJson({ ok: report.ok, errors: report.errors, warnings: report.warnings });
    } else {
      for (const issue of report.errors)
        printLine(`${paint("error", "red")} ${formatIssue(issue, CONFIG_FILE)}`);
      for (const issue of report.warnings)
        printLine(`${paint("warning", "yellow")} ${formatIssue(issue, CONFIG_FILE)}`);
      if (report.config) {
        const { senses, reflexes, workflows } = report.config;
        printLine(
          `${paint("✓", "green")} ${CONFIG_FILE} is valid: ${count(senses.length, "sense")}, ${count(reflexes.length, "reflex", "reflexes")}, ${count(workflows.length, "workflow")}`,
        );
      } else {
        printLine(`${count(report.errors.length, "error")} in ${root}/${CONFIG_FILE}`);
      }
    }
    if (!report.ok) throw new ReportedFailure();
  }
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
