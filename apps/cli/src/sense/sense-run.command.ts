import { SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Completes, Examples } from "../common/nerve-command.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@SubCommand({
  name: "run",
  arguments: "<name>",
  argsDescription: { name: "the sense to run once" },
  description:
    "run one compute in this process (no daemon) and print the value and how it routes: signal, workflow launch or nothing",
})
@Completes({ args: ["sense"] })
@Examples(
  ["nerve sense run load-average", "the value, then → signal / workflow launch / nothing"],
  ["nerve sense run load-average --json", "{ value, route }"],
)
export class SenseRunCommand extends DataCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run([name]: string[], options: WorkspaceOptions): Promise<void> {
    const senses = await this.features.get(() => import("./sense.feature.js"));
    await senses.run(name, options);
  }
}
