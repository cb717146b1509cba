import { Injectable } from "@nestjs/common";
import {
  describeRoute,
  describeSenses,
  findSense,
  formatDuration,
  type CompiledSense,
  type SenseInfo,
} from "@nerve/core";
import { CliError, ReportedFailure } from "../common/cli-errors.js";
import { outputWidth, paint, printError, printJson, printLine } from "../common/output.js";
import { formatAgo } from "../common/relative-time.js";
import { cell, formatTable } from "../common/table.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import { askDaemon, askDaemonIfRunning } from "../daemon/daemon-client.js";
import { DEFAULT_BACKFILL_MAX, planBackfill } from "./backfill-plan.js";

/**
 * `nerve sense list|trigger|run|backfill|query|schema`. The config compiler and the sense databases are
 * imported by the methods that use them, so `sense trigger` loads neither.
 */
@Injectable()
export class SenseService {
  async list(options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const senses =
      (await askDaemonIfRunning(root, "list-senses", {})) ??
      describeSenses((await import("./sense-config.js")).loadConfig(root));
    if (options.json) {
      printJson(senses);
      return;
    }
    const live = senses.some((sense) => sense.computes !== null);
    printLine(
      formatTable(
        ["SENSE", "GROUP", "SCHEDULE", "STATE", "COMPUTES", "ERRORS", "LAST COMPUTE", "LAST ERROR"],
        senses.map((sense) => [
          sense.name,
          sense.group,
          schedule(sense),
          state(sense),
          sense.computes === null ? "-" : String(sense.computes),
          sense.errors === null ? "-" : paintCount(sense.errors),
          sense.lastComputeAt === null ? "-" : formatAgo(sense.lastComputeAt),
          sense.lastError ?? "",
        ]),
        { align: SENSE_LIST_ALIGN, maxWidth: outputWidth() },
      ),
    );
    for (const sense of senses) {
      if (sense.disabled && sense.reenable) {
        const why = sense.disabledReason ? ` ${paint(sense.disabledReason, "red")};` : "";
        printLine(`${paint(sense.name, "bold")}:${why} to re-enable, ${sense.reenable}`);
      }
    }
    if (!live) printLine(paint("(no daemon running: live fields are empty)", "dim"));
  }

  async trigger(name: string, options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const result = await askDaemon(root, "trigger-sense", { sense: name });
    if (options.json) printJson(result);
    else printLine(`queued a compute of ${result.sense}`);
  }

  async run(name: string, options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const sense = await declaredSense(root, name);
    // The engine's compiler and context builder are loaded only by the commands that compute.
    const { runSenseOnce } = await import("@nerve/daemon/sense-run");
    const result = await runSenseOnce(root, sense, (sense, level, message) =>
      printError(`[${level}] ${sense}: ${message}`),
    );
    if (options.json) {
      printJson(result);
      return;
    }
    printLine(JSON.stringify(result.value, null, 2));
    printLine(`${paint("→", "cyan")} ${describeRoute(result.route)}`);
  }

  /**
   * Runs the sense for each instant of the range (see backfillSense).
   *
   * @throws ReportedFailure (exit 1) after the last instant when any instant failed.
   */
  async backfill(name: string, options: SenseBackfillOptions): Promise<void> {
    const plan = planBackfill({
      from: options.from,
      to: options.to ?? Date.now(),
      stepMs: options.step,
      max: options.max ?? DEFAULT_BACKFILL_MAX,
    });
    const root = findWorkspace({ root: options.root });
    const sense = await declaredSense(root, name);
    const { backfillSense } = await import("./sense-backfill.js");
    const summary = await backfillSense(root, sense, plan, options.json === true);
    if (summary.failed > 0) throw new ReportedFailure();
  }

  async query(name: string, sql: string | undefined, options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const { SenseQuery } = await import("@nerve/store/sense-db");
    const query = new SenseQuery();
    if (sql === undefined) {
      const tables = query.tables(root, name);
      if (options.json) printJson(tables);
      else
        printLine(
          formatTable(
            ["TABLE", "ROWS"],
            tables.map((t) => [t.table, String(t.rows)]),
            { align: ["left", "right"] },
          ),
        );
      return;
    }
    const rows = query.query(root, name, sql);
    if (options.json) {
      printJson(rows);
    } else if (rows.length === 0) {
      printLine("(no rows)");
    } else {
      const headers = Object.keys(rows[0]);
      const align = headers.map((h) =>
        rows.every((row) => typeof row[h] === "number") ? ("right" as const) : ("left" as const),
      );
      printLine(
        formatTable(
          headers,
          rows.map((row) => headers.map((h) => cell(row[h]))),
          { align },
        ),
      );
      printLine(paint(`(${rows.length} row${rows.length === 1 ? "" : "s"})`, "dim"));
    }
  }

  async schema(name: string, options: WorkspaceOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const { SenseQuery } = await import("@nerve/store/sense-db");
    const statements = new SenseQuery().schema(root, name);
    if (options.json) printJson(statements);
    else for (const statement of statements) printLine(`${statement};`);
  }
}

/** Options of `nerve sense backfill`, parsed (instants in epoch ms, the step in ms). */
export interface SenseBackfillOptions extends WorkspaceOptions {
  from: number;
  to?: number;
  step: number;
  max?: number;
}

/** @throws CliError naming the declared senses when `name` is not one of them. */
async function declaredSense(root: string, name: string): Promise<CompiledSense> {
  const config = (await import("./sense-config.js")).loadConfig(root);
  const sense = findSense(config, name);
  if (!sense) {
    const known = config.senses.map((s) => s.name).join(", ") || "none";
    throw new CliError(`unknown sense "${name}"; declared senses: ${known}`);
  }
  return sense;
}

const SENSE_LIST_ALIGN = [
  "left",
  "left",
  "left",
  "left",
  "right",
  "right",
  "left",
  "left",
] as const;

function schedule(sense: SenseInfo): string {
  const parts: string[] = [];
  if (sense.interval !== null) parts.push(`every ${formatDuration(sense.interval)}`);
  if (sense.on.length > 0) parts.push(`on ${sense.on.join(", ")}`);
  return parts.join("; ") || "manual";
}

function state(sense: SenseInfo): string {
  if (sense.disabled) return paint("disabled", "red");
  if (sense.groupState === "backoff") return paint("restarting", "yellow");
  if (sense.running) return paint("computing", "cyan");
  if (sense.running === false) return paint("idle", "green");
  return "-";
}

function paintCount(errors: number): string {
  return errors === 0 ? "0" : paint(String(errors), "red");
}
