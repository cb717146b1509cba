import { Command, CommandRunner } from "nest-commander";
import { SenseListCommand } from "./sense-list.command.js";
import { SenseRunCommand } from "./sense-run.command.js";
import { SenseQueryCommand } from "./sense-query.command.js";
import { SenseSchemaCommand } from "./sense-schema.command.js";
import { SenseTriggerCommand } from "./sense-trigger.command.js";

/** `nerve sense <subcommand>`: the senses of the workspace. */
@Command({
  name: "sense",
  description: "inspect and run senses",
  subCommands: [
    SenseListCommand,
    SenseTriggerCommand,
    SenseRunCommand,
    SenseQueryCommand,
    SenseSchemaCommand,
  ],
})
export class SenseCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
