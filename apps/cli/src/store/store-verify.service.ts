import { Injectable } from "@nestjs/common";
import type { VerifyProgress, VerifyReport } from "@nerve/store/archive";
import { ReportedFailure } from "../common/cli-errors.js";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";

export interface VerifyCommandOptions extends WorkspaceOptions {
  from?: string;
}

/** `nerve store verify` and `nerve store head`. */
@Injectable()
export class StoreVerifyService {
  async verify(options: VerifyCommandOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const { StoreVerifier, openLogDatabase } = await import("@nerve/store/archive");
    const db = openLogDatabase(root);
    let report: VerifyReport;
    try {
      const progress = process.stderr.isTTY && !options.json ? showProgress : undefined;
      report = await new StoreVerifier(db, root).verify({
        fromDay: options.from,
        onProgress: progress,
      });
      if (progress) process.stderr.write("\r\u001b[K");
    } finally {
      db.close();
    }
    if (options.json) printJson(report);
    else printReport(report);
    if (!report.ok) throw new ReportedFailure();
  }

  async head(options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const { ChainHeadReader, chainPendingRows, openLogDatabase } =
      await import("@nerve/store/archive");
    const db = openLogDatabase(root);
    try {
      await chainPendingRows(db);
      const head = new ChainHeadReader(db).read();
      if (options.json) printJson(head);
      else printLine(`${head.id} ${head.hash ?? "(not chained yet)"}`);
    } finally {
      db.close();
    }
  }
}

function printReport(report: VerifyReport): void {
  const { rows } = report;
  const legacy = rows.legacy > 0 ? ` (${rows.legacy} archived before the chain, unchecked)` : "";
  printLine(
    `log: ${rows.archive} archived rows in ${report.days} day file${report.days === 1 ? "" : "s"}, ` +
      `${rows.db} rows in logs.db${legacy}`,
  );
  printLine(`head: ${report.head.id} ${report.head.hash ?? "(no hash)"}`);
  printLine(
    `blobs: ${report.blobs.files} files, ${report.blobs.referenced} named in payloads` +
      (report.blobs.missing.length > 0
        ? `, ${report.blobs.missing.length} named but not stored: ${report.blobs.missing.slice(0, 3).join(", ")}`
        : ""),
  );
  printLine(
    `sense databases: ${report.senseDbs.length === 0 ? "none" : report.senseDbs.map((s) => `${s.name} ${s.ok ? "ok" : "DAMAGED"}`).join(", ")}`,
  );
  if (report.ok) {
    printLine("intact");
    return;
  }
  const [first, ...more] = report.problems;
  printLine(`BROKEN at ${first.where}: ${first.message}`);
  if (first.expected !== undefined) printLine(`  expected ${first.expected}`);
  if (first.found !== undefined) printLine(`  found    ${first.found}`);
  for (const problem of more.slice(0, 20))
    printLine(`also at ${problem.where}: ${problem.message}`);
  if (more.length > 20) printLine(`… and ${more.length - 20} more problems`);
}

function showProgress(progress: VerifyProgress): void {
  process.stderr.write(`\r\u001b[Kverifying ${progress.phase}: ${progress.rows} rows`);
}
