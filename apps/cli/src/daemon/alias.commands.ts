import { Command } from "nest-commander";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { DaemonActions } from "./daemon-actions.service.js";

// Top-level aliases: `nerve start|stop|restart|status` = `nerve daemon start|stop|restart|status`.

@Command({ name: "start", description: "alias of `nerve daemon start`" })
export class StartCommand extends DataCommand {
  constructor(private readonly actions: DaemonActions) {
    super();
  }
  run(_params: string[], options: WorkspaceOptions): Promise<void> {
    return this.actions.start(options);
  }
}

@Command({ name: "stop", description: "alias of `nerve daemon stop`" })
export class StopCommand extends DataCommand {
  constructor(private readonly actions: DaemonActions) {
    super();
  }
  run(_params: string[], options: WorkspaceOptions): Promise<void> {
    return this.actions.stop(options);
  }
}

@Command({ name: "restart", description: "alias of `nerve daemon restart`" })
export class RestartCommand extends DataCommand {
  constructor(private readonly actions: DaemonActions) {
    super();
  }
  run(_params: string[], options: WorkspaceOptions): Promise<void> {
    return this.actions.restart(options);
  }
}

@Command({ name: "status", description: "alias of `nerve daemon status`" })
export class StatusCommand extends DataCommand {
  constructor(private readonly actions: DaemonActions) {
    super();
  }
  run(_params: string[], options: WorkspaceOptions): Promise<void> {
    return this.actions.status(options);
  }
}
