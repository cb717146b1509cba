import { Command } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@Command({
  name: "doctor",
  description:
    "check what keeps a workspace from running (Node.js, SQLite, permissions, socket, pid file, disk, config, SDK) and how to fix each (exit 1 if a check fails)",
})
@Examples(
  ["nerve doctor", "one line per check, with the fix for each problem"],
  ["nerve doctor --json", "{ ok, root, checks: [{ name, status, message, fix }] }"],
)
export class DoctorCommand extends DataCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: WorkspaceOptions): Promise<void> {
    const doctor = await this.features.get(() => import("./doctor.feature.js"));
    await doctor.report(options);
  }
}
