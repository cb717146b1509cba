import { Inject } from "@nestjs/common";
import { Command, Option } from "nest-commander";
import { UsageError } from "../common/cli-errors.js";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { WorkspaceCommand } from "../common/workspace-command.js";
import type { LogsOptions } from "./logs.service.js";

/** `-n N` and `-f` for `nerve logs` and `nerve daemon logs`. */
export abstract class LogsOptionsCommand extends WorkspaceCommand<LogsOptions> {
  // @Inject: an undecorated base class gets no design:paramtypes for its subclasses to inherit.
  constructor(@Inject(Features) private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: LogsOptions): Promise<void> {
    const logs = await this.features.get(() => import("./logs.feature.js"));
    await logs.show(options);
  }

  @Option({ flags: "-n, --lines <count>", description: "how many lines to show (default 50)" })
  parseLines(value: string): number {
    const count = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(count)) {
      throw new UsageError(`-n: expected a whole number of lines, got "${value}"`);
    }
    return count;
  }

  @Option({
    flags: "-f, --follow",
    description: "keep printing new lines, across log rotation (Ctrl+C stops)",
  })
  parseFollow(): boolean {
    return true;
  }
}

@Command({ name: "logs", description: "the daemon's text log (logs/nerve.log): tail, follow" })
@Examples(
  ["nerve logs", "the last 50 lines"],
  ["nerve logs -n 200", "the last 200 lines"],
  ["nerve logs -f", "then every new line, until Ctrl+C"],
)
export class LogsCommand extends LogsOptionsCommand {}
