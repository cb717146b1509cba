import { SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Completes, Examples } from "../common/nerve-command.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@SubCommand({
  name: "schema",
  arguments: "<name>",
  argsDescription: { name: "the sense whose database schema to print" },
  description: "the CREATE statements of a sense's database",
})
@Completes({ args: ["sense"] })
@Examples(
  ["nerve sense schema load-average"],
  ["nerve sense schema load-average --json", "[statement, ...]"],
)
export class SenseSchemaCommand extends DataCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run([name]: string[], options: WorkspaceOptions): Promise<void> {
    const senses = await this.features.get(() => import("./sense.feature.js"));
    await senses.schema(name, options);
  }
}
