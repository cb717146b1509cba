import { SubCommand } from "nest-commander";
import { SenseQuery } from "@nerve/store/sense-db";
import { printJson, printLine } from "../common/output.js";
import { cell, formatTable } from "../common/table.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

@SubCommand({
  name: "query",
  arguments: "<name> [sql]",
  argsDescription: {
    name: "the sense whose database to read",
    sql: "one read-only statement (default: list the tables with their row counts)",
  },
  description: "read-only SQL on a sense's database, with or without a running daemon",
})
export class SenseQueryCommand extends DataCommand {
  async run([name, sql]: string[], options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const query = new SenseQuery();
    if (sql === undefined) {
      const tables = query.tables(root, name);
      if (options.json) printJson(tables);
      else
        printLine(
          formatTable(
            ["TABLE", "ROWS"],
            tables.map((t) => [t.table, String(t.rows)]),
          ),
        );
      return Promise.resolve();
    }
    const rows = query.query(root, name, sql);
    if (options.json) {
      printJson(rows);
    } else if (rows.length === 0) {
      printLine("(no rows)");
    } else {
      const headers = Object.keys(rows[0]);
      printLine(
        formatTable(
          headers,
          rows.map((row) => headers.map((h) => cell(row[h]))),
        ),
      );
      printLine(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
    }
    return Promise.resolve();
  }
}
