import { SubCommand } from "nest-commander";
import { Features } from "../common/features.js";
import { Completes, Examples } from "../common/nerve-command.js";
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
@Completes({ args: ["sense"] })
@Examples(
  ["nerve sense query load-average", "its tables, with row counts"],
  ['nerve sense query load-average "SELECT * FROM samples ORDER BY ts DESC LIMIT 5"'],
  ['nerve sense query load-average "SELECT count(*) AS n FROM samples" --json', "[{ n }]"],
)
export class SenseQueryCommand extends DataCommand {
  constructor(private readonly features: Features) {
    super();
  }

  async run([name, sql]: string[], options: WorkspaceOptions): Promise<void> {
    const senses = await this.features.get(() => import("./sense.feature.js"));
    await senses.query(name, sql, options);
  }
}
