import { Command, CommandRunner } from "nest-commander";
import { SenseQueryCommand } from "./sense-query.command.js";
import { SenseSchemaCommand } from "./sense-schema.command.js";

/** `nerve sense <subcommand>`: the senses of the workspace. */
@Command({
  name: "sense",
  description: "inspect and run senses",
  subCommands: [SenseQueryCommand, SenseSchemaCommand],
})
export class SenseCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
