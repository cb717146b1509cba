import { SubCommand } from "nest-commander";
import { SenseQuery } from "@nerve/store/sense-db";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@SubCommand({
  name: "schema",
  arguments: "<name>",
  argsDescription: { name: "the sense whose database schema to print" },
  description: "the CREATE statements of a sense's database",
})
export class SenseSchemaCommand extends DataCommand {
  async run([name]: string[], options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const statements = new SenseQuery().schema(root, name);
    if (options.json) printJson(statements);
    else for (const statement of statements) printLine(`${statement};`);
    return Promise.resolve();
  }
}
