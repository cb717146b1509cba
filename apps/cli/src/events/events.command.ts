import { Command, Option } from "nest-commander";
import { UsageError } from "../common/cli-errors.js";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import { parseWholeNumber } from "../workflow/workflow-options.js";
import { DEFAULT_EVENTS_LIMIT, type EventsOptions } from "./events.service.js";
import { parseTimeBound } from "./time-bound.js";

@Command({
  name: "events",
  description: "the structured log (data/logs.db): filter rows, follow new ones as they commit",
})
@Examples(
  ["nerve events", `the newest ${DEFAULT_EVENTS_LIMIT} rows, oldest first`],
  ["nerve events --type signal --source sense:cpu --since 10m", "one sense's signals, last 10 min"],
  ["nerve events --type 'workflow.*' --ref <runId>", "every workflow row of one run"],
  ["nerve events -f --type sense.error,sense.timeout", "failures as they happen, until Ctrl+C"],
  ["nerve events --json", "[{ id, ts, source, type, refId, payload }] (JSON Lines with -f)"],
)
export class EventsCommand extends DataCommand<EventsOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run(params: string[], options: EventsOptions): Promise<void> {
    if (params.length > 0) {
      throw new UsageError(`nerve events takes no arguments, got ${JSON.stringify(params[0])}`);
    }
    if (options.follow && options.until !== undefined) {
      throw new UsageError(
        "--until cannot be combined with -f: following shows rows still to come",
      );
    }
    if (
      options.since !== undefined &&
      options.until !== undefined &&
      options.since >= options.until
    ) {
      throw new UsageError("--since must be before --until");
    }
    const events = await this.features.get(() => import("./events.feature.js"));
    await events.show(options);
  }

  @Option({
    flags: "--type <types>",
    description: "only rows of these types, comma-separated; `workflow.*` matches a prefix",
  })
  parseType(value: string, previous: string[] | undefined): string[] {
    const types = value.split(",").map((t) => t.trim());
    if (types.some((t) => t === "")) {
      throw new UsageError(
        `--type: expected type names separated by commas, got ${JSON.stringify(value)}`,
      );
    }
    return [...(previous ?? []), ...types];
  }

  @Option({
    flags: "--source <source>",
    description:
      "only rows from this source (sense:<name>, workflow:<name>, daemon, cli; `sense:*`)",
  })
  parseSource(value: string): string {
    return value;
  }

  @Option({ flags: "--ref <id>", description: "only rows about this signal or run id (ref_id)" })
  parseRef(value: string): string {
    return value;
  }

  @Option({
    flags: "--since <when>",
    description: "rows at or after: a duration back from now (10m), an ISO time, or epoch ms",
  })
  parseSince(value: string): number {
    return parseTimeBound("--since", value);
  }

  @Option({ flags: "--until <when>", description: "rows before: same forms as --since" })
  parseUntil(value: string): number {
    return parseTimeBound("--until", value);
  }

  @Option({
    flags: "--limit <count>",
    description: `show at most this many rows, the newest (default ${DEFAULT_EVENTS_LIMIT})`,
  })
  parseLimit(value: string): number {
    return parseWholeNumber("--limit", value, 1);
  }

  @Option({
    flags: "-f, --follow",
    description: "then print each matching row as it commits, until Ctrl+C",
  })
  parseFollow(): boolean {
    return true;
  }
}
