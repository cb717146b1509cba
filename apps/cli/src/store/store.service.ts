import { Injectable } from "@nestjs/common";
import type { ArchiveProgress } from "@nerve/store/archive";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import { StoreVerifyService, type VerifyCommandOptions } from "./store-verify.service.js";

export interface ArchiveOptions extends WorkspaceOptions {
  olderThan?: number;
  vacuum?: boolean;
}

/** The cutoff when `--older-than` is not given. */
export const DEFAULT_OLDER_THAN = "7d";
const DEFAULT_OLDER_THAN_MS = 7 * 24 * 60 * 60 * 1000;

/** `nerve store archive`, `verify` and `head`. */
@Injectable()
export class StoreService {
  constructor(private readonly verifier: StoreVerifyService) {}

  verify(options: VerifyCommandOptions): Promise<void> {
    return this.verifier.verify(options);
  }

  head(options: WorkspaceOptions): Promise<void> {
    return this.verifier.head(options);
  }

  async archive(options: ArchiveOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const { LogArchive, openLogDatabase } = await import("@nerve/store/archive");
    const db = openLogDatabase(root);
    try {
      const progress = process.stderr.isTTY && !options.json ? showProgress : undefined;
      const result = await new LogArchive(db, root).archive({
        olderThanMs: options.olderThan ?? DEFAULT_OLDER_THAN_MS,
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
}

function showProgress(progress: ArchiveProgress): void {
  process.stderr.write(
    `\r\u001b[Karchiving ${progress.day} (${progress.index}/${progress.total}): ${progress.rows} rows ${progress.phase}`,
  );
}
