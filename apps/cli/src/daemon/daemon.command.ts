import { Inject } from "@nestjs/common";
import { Command, Option, SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples, GroupCommand } from "../common/nerve-command.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { LogsOptionsCommand } from "../logs/logs.command.js";
import type { DaemonActions } from "./daemon-actions.service.js";

type Action = "start" | "stop" | "restart" | "status";

/**
 * A command that runs one of the daemon actions; `nerve daemon <action>` and the top-level
 * aliases (`nerve start` …) are both made from it.
 */
export abstract class DaemonActionCommand extends DataCommand {
  protected abstract readonly action: Action;

  // @Inject: an undecorated base class gets no design:paramtypes for its subclasses to inherit.
  constructor(@Inject(Features) private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: WorkspaceOptions): Promise<void> {
    const actions: DaemonActions = await this.features.get(() => import("./daemon.feature.js"));
    await actions[this.action](options);
  }
}

/**
 * A command that starts the daemon. It always returns only once the daemon is ready; the
 * `--wait-ready` flag says so explicitly, for scripts and service managers.
 */
export abstract class DaemonStartingCommand extends DaemonActionCommand {
  @Option({
    flags: "--wait-ready",
    description:
      "return once the daemon answers on its socket and has written its pid file (exit 0), or fail with its log's tail (exit 1); start always waits, the flag says so for scripts",
  })
  parseWaitReady(): boolean {
    return true;
  }
}

@SubCommand({
  name: "start",
  description: "start the daemon in the background; returns once it answers",
})
@Examples(
  ["nerve daemon start", "the workspace around the current folder"],
  ["nerve daemon start --root ~/ws --json", "{ pid, alreadyRunning }"],
  ["nerve daemon start --wait-ready && curl …", "in a script: the daemon is ready on exit 0"],
)
export class DaemonStartCommand extends DaemonStartingCommand {
  protected readonly action = "start";
}

@SubCommand({
  name: "stop",
  description: "stop the daemon gracefully (computes in flight get 5 s)",
})
@Examples(["nerve daemon stop"], ["nerve daemon stop --json", "{ pid, wasRunning, killed }"])
export class DaemonStopCommand extends DaemonActionCommand {
  protected readonly action = "stop";
}

@SubCommand({ name: "restart", description: "stop the daemon if it runs, then start it" })
@Examples(["nerve daemon restart"])
export class DaemonRestartCommand extends DaemonStartingCommand {
  protected readonly action = "restart";
}

@SubCommand({
  name: "status",
  description: "pid, uptime, sense groups and workflows of the running daemon (exit 3 if none)",
})
@Examples(
  ["nerve daemon status"],
  ["nerve daemon status --json", "the health result, or { running: false } with exit 3"],
)
export class DaemonStatusCommand extends DaemonActionCommand {
  protected readonly action = "status";
}

@SubCommand({ name: "logs", description: "the daemon's text log (logs/nerve.log): tail, follow" })
@Examples(["nerve daemon logs -n 100"], ["nerve daemon logs -f", "follow until Ctrl+C"])
export class DaemonLogsCommand extends LogsOptionsCommand {}

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
@Examples(
  ["nerve daemon start", "in the background; returns once it answers"],
  ["nerve daemon status"],
  ["nerve daemon stop"],
)
export class DaemonCommand extends GroupCommand {}
