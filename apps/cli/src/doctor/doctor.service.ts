import { Injectable } from "@nestjs/common";
import { formatIssue, type ConfigReport } from "@nerve/core";
import { isProcessAlive, readPidFile } from "@nerve/daemon/client";
import { ReportedFailure } from "../common/cli-errors.js";
import { paint, printJson, printLine } from "../common/output.js";
import { CONFIG_FILE, findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import { ValidateService } from "../validate/validate.service.js";
import {
  checkDisk,
  checkNode,
  checkPermissions,
  checkPidFile,
  checkSdk,
  checkSocketPath,
  checkSqlite,
  type CheckStatus,
  type DoctorCheck,
} from "./doctor-checks.js";
import { checkDashboardPort, checkFederationServers } from "./network-checks.js";

/** `nerve doctor --json`. */
export interface DoctorReport {
  /** False when a check failed. */
  ok: boolean;
  root: string | null;
  checks: DoctorCheck[];
}

function mark(status: CheckStatus): string {
  switch (status) {
    case "ok":
      return paint("✓", "green");
    case "warn":
      return paint("!", "yellow");
    case "fail":
      return paint("✗", "red");
    case "skip":
      return "-";
  }
}

/** `nerve doctor`: what keeps a workspace from running, and how to fix each. */
@Injectable()
export class DoctorService {
  constructor(private readonly validator: ValidateService) {}

  async diagnose(options: WorkspaceOptions): Promise<DoctorReport> {
    const checks = [checkNode(), checkSqlite()];
    let root: string | null = null;
    try {
      root = findWorkspace({ root: options.root });
    } catch (error) {
      checks.push({
        name: "workspace",
        status: "fail",
        message: (error as Error).message,
        fix: "run nerve doctor inside a workspace, or pass --root; nerve init makes one",
      });
    }
    if (root !== null) {
      const config = await this.validator.validate(root);
      checks.push(
        checkPermissions(root),
        checkSocketPath(root),
        checkPidFile(root),
        checkDisk(root),
        configCheck(config),
        await checkSdk(root),
      );
      const pid = readPidFile(root);
      const running = pid !== null && isProcessAlive(pid);
      const dashboard = config.config?.dashboard;
      if (dashboard !== undefined) checks.push(await checkDashboardPort(dashboard, running));
      const federation = config.config?.federation ?? null;
      if (federation !== null) checks.push(await checkFederationServers(federation));
    }
    return { ok: checks.every((check) => check.status !== "fail"), root, checks };
  }

  async report(options: WorkspaceOptions): Promise<void> {
    const report = await this.diagnose(options);
    if (options.json) {
      printJson(report);
    } else {
      for (const check of report.checks) {
        printLine(`${mark(check.status)} ${check.name.padEnd(12)} ${check.message}`);
        if (check.fix !== null) printLine(`  ${" ".repeat(12)} fix: ${check.fix}`);
      }
      const failed = report.checks.filter((check) => check.status === "fail").length;
      printLine(
        failed === 0
          ? "no problem keeps this workspace from running"
          : `${failed} problem(s) to fix`,
      );
    }
    if (!report.ok) throw new ReportedFailure();
  }
}

function configCheck(report: ConfigReport): DoctorCheck {
  if (report.ok) {
    return { name: "config", status: "ok", message: `${CONFIG_FILE} is valid`, fix: null };
  }
  const [first] = report.errors;
  const file = "file" in first && typeof first.file === "string" ? first.file : CONFIG_FILE;
  return {
    name: "config",
    status: "fail",
    message: `${report.errors.length} error(s), the first: ${formatIssue(first, file)}`,
    fix: "nerve validate lists them all, each with where it is",
  };
}
