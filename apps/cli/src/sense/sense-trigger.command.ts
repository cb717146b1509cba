import { SubCommand } from "nest-commander";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";
import { askDaemon } from "../daemon/daemon-client.js";

@SubCommand({
  name: "trigger",
  arguments: "<name>",
  argsDescription: { name: "the sense to run" },
  description: "queue a compute of a sense in the running daemon",
})
export class SenseTriggerCommand extends DataCommand {
  async run([name]: string[], options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const result = await askDaemon(root, "trigger-sense", { sense: name });
    if (options.json) printJson(result);
    else printLine(`queued a compute of ${result.sense}`);
  }
}
