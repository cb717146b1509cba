import { Command } from "nest-commander";
import { findWorkspace } from "../common/workspace.js";
import { CliError } from "../common/cli-errors.js";
import { WorkspaceCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { DaemonControlService } from "../daemon/daemon-control.service.js";

@Command({
  name: "dev",
  description:
    "run the daemon in the foreground with hot reload; logs to the terminal, Ctrl+C stops",
})
export class DevCommand extends WorkspaceCommand {
  constructor(private readonly control: DaemonControlService) {
    super();
  }

  async run(_params: string[], options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const running = await this.control.health(root);
    if (running) {
      throw new CliError(
        `a daemon is already running for ${root} (pid ${running.pid}); stop it first with \`nerve stop\``,
      );
    }
    // The engine is loaded only by this command, so other commands start fast.
    const { startDaemon } = await import("@nerve/daemon");
    const daemon = await startDaemon({ root, foreground: true }, { handleSignals: true });
    await daemon.stopped;
  }
}
