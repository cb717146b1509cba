import { SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@SubCommand({
  name: "list",
  description: "senses from nerve.yaml, with live fields when the daemon runs",
})
@Examples(
  ["nerve sense list", "schedule, state, computes, errors, last compute"],
  ["nerve sense list --json", "[{ name, group, interval, on, running, computes, ... }]"],
)
export class SenseListCommand extends DataCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: WorkspaceOptions): Promise<void> {
    const senses = await this.features.get(() => import("./sense.feature.js"));
    await senses.list(options);
  }
}
