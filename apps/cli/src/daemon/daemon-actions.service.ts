import { Injectable } from "@nestjs/common";
import { CliError, ExitCode } from "../common/cli-errors.js";
import { paint, printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import { DaemonControlService } from "./daemon-control.service.js";
import { formatHealth } from "./daemon-status.view.js";

/** What `nerve daemon start|stop|status|restart`, their aliases and `nerve dev` do and print. */
@Injectable()
export class DaemonActions {
  constructor(private readonly control: DaemonControlService) {}

  async start(options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    await checkConfig(root);
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
    await checkConfig(root);
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

  /** `nerve dev`: the daemon in this process, until Ctrl+C. */
  async dev(options: WorkspaceOptions & { verbose?: boolean }): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const running = await this.control.health(root);
    if (running) {
      throw new CliError(
        `a daemon is already running for ${root} (pid ${running.pid}); stop it first with \`nerve stop\``,
      );
    }
    // The engine is loaded only by this command.
    const { startDaemon } = await import("@nerve/daemon");
    const daemon = await startDaemon(
      { root, foreground: true, ...(options.verbose ? { logLevel: "debug" as const } : {}) },
      { handleSignals: true },
    );
    await daemon.stopped;
  }
}

async function checkConfig(root: string): Promise<void> {
  const { assertValidConfig } = await import("./config-check.js");
  assertValidConfig(root);
}
