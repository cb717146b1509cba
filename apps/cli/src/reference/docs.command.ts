import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, InjectCommander } from "nest-commander";
import type { CommanderNode } from "../common/commander-node.js";
import { NerveCommand } from "../common/nerve-command.js";
import { renderCliReference } from "./cli-reference.js";

/** `nerve __docs [file]`: the CLI reference (docs/CLI.md) on stdout, or into `file`. Hidden. */
@Command({
  name: "__docs",
  arguments: "[file]",
  options: { hidden: true },
})
export class DocsCommand extends NerveCommand {
  constructor(@InjectCommander() private readonly root: CommanderNode) {
    super();
  }

  run([file]: string[]): Promise<void> {
    const markdown = renderCliReference(this.root);
    if (file === undefined) process.stdout.write(markdown);
    else writeFileSync(resolve(file), markdown);
    return Promise.resolve();
  }
}
