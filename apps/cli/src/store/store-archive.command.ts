import { Option, SubCommand } from "nest-commander";
import { parseDuration } from "@nerve/core";
import { LogArchive, openLogDatabase, type ArchiveProgress } from "@nerve/store/archive";
import { UsageError } from "../common/cli-errors.js";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import { DataCommand, type WorkspaceOptions } from "../common/workspace-command.js";

interface ArchiveOptions extends WorkspaceOptions {
  olderThan?: number;
  vacuum?: boolean;
}

const DEFAULT_OLDER_THAN = "7d";

@SubCommand({
  name: "archive",
  description:
    "move whole UTC days of the log older than the cutoff to data/archive/logs/YYYY-MM-DD.jsonl",
})
export class StoreArchiveCommand extends DataCommand<ArchiveOptions> {
  async run(_params: string[], options: ArchiveOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const db = openLogDatabase(root);
    try {
      const progress = process.stderr.isTTY && !options.json ? showProgress : undefined;
      const result = await new LogArchive(db, root).archive({
        olderThanMs: options.olderThan ?? days(7),
        vacuum: options.vacuum === true,
        onProgress: progress,
      });
      if (progress) process.stderr.write("\r\u001b[K");
      if (options.json) {
        printJson(result);
        return;
      }
      for (const day of result.days) printLine(`${day.day}  ${day.rows} rows  → ${day.file}`);
      printLine(
        result.days.length === 0
          ? "nothing to archive"
          : `archived ${result.deleted} rows from ${result.days.length} day${result.days.length === 1 ? "" : "s"}${result.vacuumed ? "; database vacuumed" : ""}`,
      );
    } finally {
      db.close();
    }
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

function days(n: number): number {
  return n * 24 * 60 * 60 * 1000;
}

function showProgress(progress: ArchiveProgress): void {
  process.stderr.write(
    `\r\u001b[Karchiving ${progress.day} (${progress.index}/${progress.total}): ${progress.rows} rows ${progress.phase}`,
  );
}
