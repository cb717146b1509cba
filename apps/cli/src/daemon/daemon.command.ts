import { Command, CommandRunner, SubCommand } from "nest-commander";
import { showLogs, LogsOptionsCommand, type LogsOptions } from "../logs/logs.command.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { DaemonActions } from "./daemon-actions.service.js";

@SubCommand({
  name: "start",
  description: "start the daemon in the background; returns once it answers",
})
export class DaemonStartCommand extends DataCommand {
  constructor(private readonly actions: DaemonActions) {
    super();
  }
  run(_params: string[], options: WorkspaceOptions): Promise<void> {
    return this.actions.start(options);
  }
}

@SubCommand({
  name: "stop",
  description: "stop the daemon gracefully (computes in flight get 5 s)",
})
export class DaemonStopCommand extends DataCommand {
  constructor(private readonly actions: DaemonActions) {
    super();
  }
  run(_params: string[], options: WorkspaceOptions): Promise<void> {
    return this.actions.stop(options);
  }
}

@SubCommand({ name: "restart", description: "stop the daemon if it runs, then start it" })
export class DaemonRestartCommand extends DataCommand {
  constructor(private readonly actions: DaemonActions) {
    super();
  }
  run(_params: string[], options: WorkspaceOptions): Promise<void> {
    return this.actions.restart(options);
  }
}

@SubCommand({
  name: "status",
  description: "pid, uptime, sense groups and workflows of the running daemon (exit 3 if none)",
})
export class DaemonStatusCommand extends DataCommand {
  constructor(private readonly actions: DaemonActions) {
    super();
  }
  run(_params: string[], options: WorkspaceOptions): Promise<void> {
    return this.actions.status(options);
  }
}

@SubCommand({ name: "logs", description: "the daemon's text log (logs/nerve.log): tail, follow" })
export class DaemonLogsCommand extends LogsOptionsCommand {
  run(_params: string[], options: LogsOptions): Promise<void> {
    return showLogs(options);
  }
}

/** `nerve daemon <subcommand>`. */
@Command({
  name: "daemon",
  description: "run the daemon in the background: start, stop, status, restart, logs",
  subCommands: [
    DaemonStartCommand,
    DaemonStopCommand,
    DaemonStatusCommand,
    DaemonRestartCommand,
    DaemonLogsCommand,
  ],
})
export class DaemonCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
