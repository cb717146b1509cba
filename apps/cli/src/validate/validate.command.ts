import { Command } from "nest-commander";
import { formatIssue } from "@nerve/core";
import { ReportedFailure } from "../common/cli-errors.js";
import { paint, printJson, printLine } from "../common/output.js";
import { findWorkspace, CONFIG_FILE } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { ValidateService } from "./validate.service.js";

@Command({
  name: "validate",
  description: "check nerve.yaml and the files it names; lists every problem (exit 1 if any)",
})
export class ValidateCommand extends DataCommand {
  constructor(private readonly validator: ValidateService) {
    super();
  }

  async run(_params: string[], options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const report = this.validator.validate(root);
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
    return Promise.resolve();
  }
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
