import { Injectable } from "@nestjs/common";
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ExitCode, ReportedFailure, UsageError } from "../common/cli-errors.js";
import { printJson, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import type { FedOutcomes, FedSignal, ReplayReport } from "./replay-types.js";

export interface ReplayOptions extends WorkspaceOptions {
  from?: string;
  to?: string;
  sense?: string[];
  into?: string;
  messages?: boolean;
}

/** What the recorded workspace holds about the span. */
interface Recorded {
  from: number;
  to: number;
  senses: string[];
  declared: string[];
  fed: FedSignal[];
  outcomes: FedOutcomes[];
}

/**
 * `nerve replay`: re-feeds the recorded signals of a span into a copy of the workspace's code
 * on the test kit's virtual clock, and prints where the outcomes of the senses under test
 * differ from the recorded ones. The workspace's data is only read (`logs.db` read-only, sense
 * databases through SQLite's backup), so a running daemon is undisturbed.
 */
@Injectable()
export class ReplayService {
  async replay(options: ReplayOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const recorded = await this.readRecorded(root, options);
    const { dir, temp } = prepareInto(options.into);
    let replayed: FedOutcomes[];
    try {
      const { runReplay } = await import("./replay-run.js");
      await runReplay({ source: root, dir, ...recorded });
      replayed = await readOutcomes(dir, recorded.fed, recorded.senses);
    } finally {
      if (temp) rmSync(dir, { recursive: true, force: true });
    }
    const { countOutcomes, diffOutcomes } = await import("./replay-diff.js");
    const report: ReplayReport = {
      from: recorded.from,
      to: recorded.to,
      senses: recorded.senses,
      fed: recorded.fed.length,
      recorded: countOutcomes(recorded.outcomes),
      replayed: countOutcomes(replayed),
      differences: diffOutcomes(recorded.outcomes, replayed, { messages: options.messages }),
      into: temp ? null : dir,
    };
    if (options.json === true) printJson(report);
    else {
      const { renderReplay } = await import("./replay.view.js");
      for (const line of renderReplay(report)) printLine(line);
    }
    if (report.differences.length > 0) throw new ReportedFailure(ExitCode.failure);
  }

  private async readRecorded(root: string, options: ReplayOptions): Promise<Recorded> {
    if (options.from === undefined) {
      throw new UsageError("--from is required: where the replayed span starts");
    }
    const { loadConfig } = await import("../sense/sense-config.js");
    const config = loadConfig(root);
    const store = await import("@nerve/store/reader");
    const { ArchiveRows } = await import("../trace/archive-rows.js");
    const { SpanStore } = await import("./span-store.js");
    const { resolveBound } = await import("./replay-bounds.js");
    const { sensesUnderTest } = await import("./replay-plan.js");
    const db = store.openLogDatabase(root, { readonly: true });
    try {
      const reader = new store.StoreReader(db);
      const now = Date.now();
      const from = resolveBound("--from", options.from, reader, now);
      const to = options.to === undefined ? now : resolveBound("--to", options.to, reader, now);
      if (from > to) {
        throw new UsageError(`--from (${iso(from)}) is after --to (${iso(to)})`);
      }
      const archive = new ArchiveRows(
        store.storePaths(root).archive,
        reader.getMeta(ARCHIVE_LAST_DAY_KEY),
      );
      const span = new SpanStore(reader, new store.LineageReader(db), archive);
      const signals = span.signalsBetween(from, to);
      if (signals.length === 0) {
        throw new UsageError(`no signal was recorded from ${iso(from)} to ${iso(to)}`);
      }
      const senses = sensesUnderTest(config, new Set(signals.map((s) => s.sense)), options.sense);
      const fed = signals.filter((signal) => !senses.includes(signal.sense));
      if (fed.length === 0) {
        throw new UsageError(
          `every signal from ${iso(from)} to ${iso(to)} is of a sense under test ` +
            `(${senses.join(", ")}): nothing to re-feed`,
        );
      }
      const declared = config.senses.map((sense) => sense.name);
      const outcomes = span.outcomesOf(fed, new Set(senses));
      return { from, to, senses, declared, fed, outcomes };
    } finally {
      db.close();
    }
  }
}

/** The meta key of the last archived day (written by LogArchive). */
const ARCHIVE_LAST_DAY_KEY = "archive.last_day";

async function readOutcomes(
  dir: string,
  fed: readonly FedSignal[],
  senses: readonly string[],
): Promise<FedOutcomes[]> {
  const store = await import("@nerve/store/reader");
  const { SpanStore } = await import("./span-store.js");
  const db = store.openLogDatabase(dir, { readonly: true });
  try {
    const span = new SpanStore(new store.StoreReader(db), new store.LineageReader(db), null);
    return span.outcomesOf(fed, new Set(senses));
  } finally {
    db.close();
  }
}

/** `--into DIR` (created; must be empty), else a fresh temp folder removed afterwards. */
function prepareInto(into: string | undefined): { dir: string; temp: boolean } {
  if (into === undefined) {
    return { dir: realpathSync(mkdtempSync(join(tmpdir(), "nerve-replay-"))), temp: true };
  }
  const dir = resolve(into);
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) {
    throw new UsageError(`--into: ${dir} is not empty; give a new or empty folder for the copy`);
  }
  return { dir: realpathSync(dir), temp: false };
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}
