import { Command } from "nest-commander";
import { Examples, GroupCommand } from "../common/nerve-command.js";
import { StoreArchiveCommand } from "./store-archive.command.js";
import { StoreHeadCommand, StoreVerifyCommand } from "./store-verify.command.js";

/** `nerve store <subcommand>`: maintenance of the workspace's data. */
@Command({
  name: "store",
  description: "maintain the log store",
  subCommands: [StoreArchiveCommand, StoreVerifyCommand, StoreHeadCommand],
})
@Examples(["nerve store archive --older-than 30d", "old log days → data/archive/logs/*.jsonl"])
export class StoreCommand extends GroupCommand {}
