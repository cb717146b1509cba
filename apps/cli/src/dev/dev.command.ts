import { Command } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { WorkspaceCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@Command({
  name: "dev",
  description:
    "run the daemon in the foreground with hot reload; logs to the terminal, Ctrl+C stops",
})
@Examples(
  ["nerve dev", "the workspace around the current folder"],
  ["nerve dev --root examples/quickstart"],
)
export class DevCommand extends WorkspaceCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: WorkspaceOptions): Promise<void> {
    const actions = await this.features.get(() => import("../daemon/daemon.feature.js"));
    await actions.dev(options);
  }
}
