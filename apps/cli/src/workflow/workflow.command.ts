import { Command, CommandRunner } from "nest-commander";
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
export class WorkflowCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
    return Promise.resolve();
  }
}
