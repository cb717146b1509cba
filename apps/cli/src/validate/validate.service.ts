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
  /**
   * Reads `nerve.yaml` of the workspace and checks it, the files it names, and the imports of
   * those files (an import that will not resolve is an error at its line, with the fix). Also
   * refreshes the settings editors read to find the SDK.
   */
  async validate(root: string): Promise<ConfigReport> {
    const report = this.validateConfig(root);
    const { checkImports, writeEditorConfig } = await import("@nerve/daemon/sdk");
    writeEditorConfig(root);
    if (report.config === null) return report;
    const { senses, workflows, modules } = report.config;
    const problems = await checkImports(root, [
      ...senses.flatMap((sense) =>
        sense.computeFile === null
          ? []
          : [{ file: sense.computeFile, path: `senses.${sense.name}` }],
      ),
      ...workflows.flatMap((workflow) =>
        workflow.file === null ? [] : [{ file: workflow.file, path: `workflows.${workflow.name}` }],
      ),
      ...modules.map((file, index) => ({ file, path: `modules[${index}]` })),
    ]);
    if (problems.length === 0) return report;
    return { ...report, ok: false, config: null, errors: [...report.errors, ...problems] };
  }

  /** `nerve.yaml` and the files it names, without following their imports. */
  validateConfig(root: string): ConfigReport {
    return compileWorkspaceConfig(root);
  }

  /** Prints every error and warning; a ReportedFailure (exit 1) if there is an error. */
  async report(options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const report = await this.validate(root);
    if (options.json) {
      printJson({ ok: report.ok, errors: report.errors, warnings: report.warnings });
    } else {
      for (const issue of report.errors)
        printLine(`${paint("error", "red")} ${formatIssue(issue, fileOf(issue))}`);
      for (const issue of report.warnings)
        printLine(`${paint("warning", "yellow")} ${formatIssue(issue, CONFIG_FILE)}`);
      if (report.config) {
        const { senses, reflexes, workflows } = report.config;
        printLine(
          `${paint("✓", "green")} ${CONFIG_FILE} is valid: ${count(senses.length, "sense")}, ${count(reflexes.length, "reflex", "reflexes")}, ${count(workflows.length, "workflow")}`,
        );
      } else {
        const where = report.errors.some((issue) => fileOf(issue) !== CONFIG_FILE)
          ? `the workspace ${root}`
          : `${root}/${CONFIG_FILE}`;
        printLine(`${count(report.errors.length, "error")} in ${where}`);
      }
    }
    if (!report.ok) throw new ReportedFailure();
  }
}

/** Import problems name the user file they are in; config issues are in nerve.yaml. */
function fileOf(issue: object): string {
  return "file" in issue && typeof issue.file === "string" ? issue.file : CONFIG_FILE;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The report of a workspace's `nerve.yaml` and the files it names; unreadable is a CliError. */
export function compileWorkspaceConfig(root: string): ConfigReport {
  const file = join(root, CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return compileConfig(text, new NodeWorkspaceFs(root));
}
