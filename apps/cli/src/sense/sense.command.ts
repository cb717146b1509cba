import { Command } from "nest-commander";
import { Examples, GroupCommand } from "../common/nerve-command.js";
import { SenseBackfillCommand } from "./sense-backfill.command.js";
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
    SenseBackfillCommand,
    SenseQueryCommand,
    SenseSchemaCommand,
  ],
})
@Examples(
  ["nerve sense list", "every sense, with live fields when the daemon runs"],
  ["nerve sense run load-average", "one compute here and now, no daemon"],
  ["nerve sense backfill prices --from 7d --step 1h", "one compute per past hour, ctx.now set"],
  ["nerve sense query load-average", "the tables of its database"],
)
export class SenseCommand extends GroupCommand {}
