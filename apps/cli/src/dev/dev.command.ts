import { Command, Option } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { WorkspaceCommand, type WorkspaceOptions } from "../common/workspace-command.js";

export interface DevOptions extends WorkspaceOptions {
  verbose?: boolean;
}

@Command({
  name: "dev",
  description:
    "run the daemon in the foreground with hot reload; logs to the terminal, Ctrl+C stops",
})
@Examples(
  ["nerve dev", "the workspace around the current folder"],
  ["nerve dev --root examples/quickstart"],
  ["nerve dev --verbose", "with debug lines: Nest's start-up, module wiring"],
)
export class DevCommand extends WorkspaceCommand<DevOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: DevOptions): Promise<void> {
    const actions = await this.features.get(() => import("../daemon/daemon.feature.js"));
    await actions.dev(options);
  }

  @Option({
    flags: "--verbose",
    description: "also show debug lines (Nest's start-up); same as NERVE_LOG_LEVEL=debug",
  })
  parseVerbose(): boolean {
    return true;
  }
}
