import { Command } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@Command({
  name: "validate",
  description: "check nerve.yaml and the files it names; lists every problem (exit 1 if any)",
})
@Examples(
  ["nerve validate", "every error and warning, with its YAML path, line and column"],
  ["nerve validate --json", "{ ok, errors: [{ path, line, col, message }], warnings }"],
)
export class ValidateCommand extends DataCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: WorkspaceOptions): Promise<void> {
    const validator = await this.features.get(() => import("./validate.feature.js"));
    await validator.report(options);
  }
}
