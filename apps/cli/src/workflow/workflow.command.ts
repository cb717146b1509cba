import { Command } from "nest-commander";
import { Examples, GroupCommand } from "../common/nerve-command.js";
import { WorkflowInspectCommand } from "./workflow-inspect.command.js";
import { WorkflowListCommand } from "./workflow-list.command.js";
import { WorkflowThreadCommand } from "./workflow-thread.command.js";
import { WorkflowTriggerCommand } from "./workflow-trigger.command.js";

/** `nerve workflow <subcommand>`: the runs of the workspace's workflows. */
@Command({
  name: "workflow",
  description: "list, inspect and start workflow runs",
  subCommands: [
    WorkflowListCommand,
    WorkflowInspectCommand,
    WorkflowThreadCommand,
    WorkflowTriggerCommand,
  ],
})
@Examples(
  ["nerve workflow list --all", "every run, newest first"],
  ["nerve workflow thread <runId>", "what its roles said, round by round"],
  ["nerve workflow trigger investigate", "start a run by hand (needs the daemon)"],
)
export class WorkflowCommand extends GroupCommand {}
