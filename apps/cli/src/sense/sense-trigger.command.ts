import { SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Completes, Examples } from "../common/nerve-command.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@SubCommand({
  name: "trigger",
  arguments: "<name>",
  argsDescription: { name: "the sense to run" },
  description: "queue a compute of a sense in the running daemon",
})
@Completes({ args: ["sense"] })
@Examples(
  ["nerve sense trigger load-average"],
  ["nerve sense trigger load-average --json", "{ sense, accepted }"],
)
export class SenseTriggerCommand extends DataCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run([name]: string[], options: WorkspaceOptions): Promise<void> {
    const senses = await this.features.get(() => import("./sense.feature.js"));
    await senses.trigger(name, options);
  }
}
