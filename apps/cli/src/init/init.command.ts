import { Command, CommandRunner, Option } from "nest-commander";
import { paint, printJson, printLine } from "../common/output.js";
import { InitService } from "./init.service.js";

interface InitOptions {
  root?: string;
  force?: boolean;
  json?: boolean;
}

@Command({
  name: "init",
  arguments: "[dir]",
  argsDescription: {
    dir: "folder to create the workspace in (default: --root, else the current folder)",
  },
  description: "scaffold a working workspace: two senses, a reflex chain and a workflow",
})
export class InitCommand extends CommandRunner {
  constructor(private readonly initService: InitService) {
    super();
  }

  async run([dir]: string[], options: InitOptions): Promise<void> {
    const result = this.initService.init(
      dir ?? options.root ?? process.cwd(),
      options.force === true,
    );
    if (options.json) {
      printJson(result);
      return;
    }
    printLine(`${paint("✓", "green")} created a Nerve workspace in ${result.root}`);
    for (const file of result.files) printLine(`  ${file}`);
    printLine(`  node_modules/ (links to ${result.links.map((link) => link.name).join(", ")})`);
    printLine();
    printLine("Next:");
    printLine(`  cd ${result.root}`);
    printLine("  nerve validate      # check nerve.yaml and the files it names");
    printLine("  nerve dev           # run it in the foreground");
    return Promise.resolve();
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
