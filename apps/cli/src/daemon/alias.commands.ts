import { Command } from "nest-commander";
import { Examples } from "../common/nerve-command.js";
import { DaemonActionCommand, DaemonStartingCommand } from "./daemon.command.js";

// Top-level aliases: `nerve start|stop|restart|status` = `nerve daemon start|stop|restart|status`.

@Command({ name: "start", description: "alias of `nerve daemon start`" })
@Examples(["nerve start", "start the daemon in the background"])
export class StartCommand extends DaemonStartingCommand {
  protected readonly action = "start";
}

@Command({ name: "stop", description: "alias of `nerve daemon stop`" })
@Examples(["nerve stop", "stop the daemon gracefully"])
export class StopCommand extends DaemonActionCommand {
  protected readonly action = "stop";
}

@Command({ name: "restart", description: "alias of `nerve daemon restart`" })
@Examples(["nerve restart", "stop the daemon if it runs, then start it"])
export class RestartCommand extends DaemonStartingCommand {
  protected readonly action = "restart";
}

@Command({ name: "status", description: "alias of `nerve daemon status`" })
@Examples(
  ["nerve status", "pid, uptime, sense groups and workflows"],
  ["nerve status --json", "the health result, or { running: false } with exit 3"],
)
export class StatusCommand extends DaemonActionCommand {
  protected readonly action = "status";
}
