import { Option, SubCommand } from "nest-commander";
import { parseDuration } from "@nerve/core";
import { UsageError } from "../common/cli-errors.js";
import { Features } from "../common/features.js";
import { Examples } from "../common/nerve-command.js";
import { DataCommand } from "../common/workspace-command.js";
import { DEFAULT_OLDER_THAN, type ArchiveOptions } from "./store.service.js";

@SubCommand({
  name: "archive",
  description:
    "move whole UTC days of the log older than the cutoff to data/archive/logs/YYYY-MM-DD.jsonl",
})
@Examples(
  ["nerve store archive", `days older than ${DEFAULT_OLDER_THAN}`],
  ["nerve store archive --older-than 1d --vacuum", "and give the space back"],
  ["nerve store archive --json", "{ days: [{ day, rows, file }], deleted, vacuumed }"],
)
export class StoreArchiveCommand extends DataCommand<ArchiveOptions> {
  constructor(private readonly features: Features) {
    super();
  }

  async run(_params: string[], options: ArchiveOptions): Promise<void> {
    const store = await this.features.get(() => import("./store.feature.js"));
    await store.archive(options);
  }

  @Option({
    flags: "--older-than <duration>",
    description: `archive whole days older than this (default ${DEFAULT_OLDER_THAN})`,
  })
  parseOlderThan(value: string): number {
    const parsed = parseDuration(value);
    if (!parsed.ok) throw new UsageError(`--older-than: ${parsed.error}`);
    return parsed.value;
  }

  @Option({ flags: "--vacuum", description: "give the freed space back to the file system" })
  parseVacuum(): boolean {
    return true;
  }
}
