import { Inject } from "@nestjs/common";
import { Command, Option, SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples, GroupCommand } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import type { ServiceOptions, ServiceService } from "./service.service.js";

type Action = "install" | "uninstall" | "status";

/** A `nerve service` subcommand: the workspace, `--user` (default) or `--system`, `--json`. */
abstract class ServiceActionCommand extends DataCommand<ServiceOptions> {
  protected abstract readonly action: Action;

  constructor(@Inject(Features) private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: ServiceOptions): Promise<void> {
    const service: ServiceService = await this.features.get(() => import("./service.feature.js"));
    service[this.action](options);
  }

  @Option({ flags: "--user", description: "a user unit, systemctl --user (the default)" })
  parseUser(): boolean {
    return true;
  }

  @Option({ flags: "--system", description: "a system unit in /etc/systemd/system (as root)" })
  parseSystem(): boolean {
    return true;
  }
}

@SubCommand({
  name: "install",
  description:
    "write a systemd unit that runs the daemon for this workspace, enable and start it; without systemd, print the unit",
})
@Examples(
  ["nerve service install", "a user unit, started now and at login"],
  ["sudo nerve service install --system", "a system unit, started at boot"],
)
export class ServiceInstallCommand extends ServiceActionCommand {
  protected readonly action = "install";
}

@SubCommand({ name: "uninstall", description: "stop, disable and remove the workspace's unit" })
@Examples(["nerve service uninstall"])
export class ServiceUninstallCommand extends ServiceActionCommand {
  protected readonly action = "uninstall";
}

@SubCommand({
  name: "status",
  description: "whether the workspace's unit is installed, active and enabled",
})
@Examples([
  "nerve service status --json",
  "{ unitName, unitPath, scope, installed, active, enabled }",
])
export class ServiceStatusCommand extends ServiceActionCommand {
  protected readonly action = "status";
}

/** `nerve service <subcommand>`. */
@Command({
  name: "service",
  description: "run the daemon under systemd: install, uninstall, status",
  subCommands: [ServiceInstallCommand, ServiceUninstallCommand, ServiceStatusCommand],
})
@Examples(["nerve service install", "then: nerve status, journalctl --user-unit nerve-…"])
export class ServiceCommand extends GroupCommand {}
