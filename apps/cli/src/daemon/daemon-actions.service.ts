import { Injectable } from "@nestjs/common";
import { compileConfig, NodeWorkspaceFs } from "@nerve/core/config";
import { formatIssue } from "@nerve/core";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CliError, ExitCode } from "../common/cli-errors.js";
import { paint, printError, printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import { DaemonControlService } from "./daemon-control.service.js";
import { formatHealth } from "./daemon-status.view.js";

/** What `nerve daemon start|stop|status|restart` (and their top-level aliases) print. */
@Injectable()
export class DaemonActions {
  constructor(private readonly control: DaemonControlService) {}

  async start(options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    assertValidConfig(root);
    const outcome = await this.control.start(root);
    if (options.json) printJson(outcome);
    else if (outcome.alreadyRunning) printLine(`daemon already running (pid ${outcome.pid})`);
    else printLine(`${paint("●", "green")} daemon started (pid ${outcome.pid}) for ${root}`);
  }

  async stop(options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const outcome = await this.control.stop(root);
    if (options.json) printJson(outcome);
    else if (!outcome.wasRunning) printLine("no daemon was running");
    else if (outcome.killed)
      printLine(`daemon (pid ${outcome.pid}) did not stop in time and was killed`);
    else printLine(`daemon stopped (pid ${outcome.pid})`);
  }

  async restart(options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    assertValidConfig(root);
    await this.control.stop(root);
    const outcome = await this.control.start(root);
    if (options.json) printJson(outcome);
    else printLine(`${paint("●", "green")} daemon restarted (pid ${outcome.pid})`);
  }

  async status(options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const health = await this.control.health(root);
    if (health) {
      if (options.json) printJson(health);
      else printLine(formatHealth(health));
      return;
    }
    if (options.json) printJson({ running: false });
    else printLine(`daemon not running for ${root}; start it with \`nerve daemon start\``);
    process.exitCode = ExitCode.daemonNotRunning;
  }
}

/** Refuses to start on an invalid config, listing every problem (the daemon would refuse too). */
function assertValidConfig(root: string): void {
  const report = compileConfig(
    readFileSync(join(root, "nerve.yaml"), "utf8"),
    new NodeWorkspaceFs(root),
  );
  if (report.ok) return;
  for (const issue of report.errors) printError(`error ${formatIssue(issue)}`);
  throw new CliError(
    `nerve.yaml is invalid (${report.errors.length} problems); the daemon was not started`,
  );
}
