import { Command, CommandRunner } from "nest-commander";
import { StoreArchiveCommand } from "./store-archive.command.js";

/** `nerve store <subcommand>`: maintenance of the workspace's data. */
@Command({
  name: "store",
  description: "maintain the log store",
  subCommands: [StoreArchiveCommand],
})
export class StoreCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
