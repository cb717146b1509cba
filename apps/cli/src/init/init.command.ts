import { Command, Option } from "nest-commander";
import { Features } from "../common/features.js";
import { Examples, NerveCommand } from "../common/nerve-command.js";
import type { InitOptions } from "./init.service.js";

@Command({
  name: "init",
  arguments: "[dir]",
  argsDescription: {
    dir: "folder to create the workspace in (default: --root, else the current folder)",
  },
  description: "scaffold a working workspace: two senses, a reflex chain and a workflow",
})
@Examples(
  ["nerve init my-workspace", "then: cd my-workspace && nerve dev"],
  ["nerve init --force", "rewrite the example files of the workspace here"],
)
export class InitCommand extends NerveCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run([dir]: string[], options: InitOptions): Promise<void> {
    const init = await this.features.get(() => import("./init.feature.js"));
    await init.scaffold(dir, options);
  }

  @Option({ flags: "--root <dir>", description: "folder to create the workspace in" })
  parseRoot(value: string): string {
    return value;
  }

  @Option({
    flags: "-f, --force",
    description: "rewrite the example files of an existing workspace",
  })
  parseForce(): boolean {
    return true;
  }

  @Option({ flags: "--json", description: "print what was created as JSON" })
  parseJson(): boolean {
    return true;
  }
}
