import type { LogRow } from "@nerve/core";
import type { ComputeLineage, LineageReader, StoreReader } from "@nerve/store/reader";
import type { ArchiveRows } from "../trace/archive-rows.js";
import type { FedOutcomes, FedSignal, LaunchOutcome, Outcome } from "./replay-types.js";

/** No row limit: a replay reads everything about the span. */
const ALL = 1_000_000_000;
const DAY_MS = 86_400_000;
const MESSAGE = "workflow.message";
/** Log types that set a run's status (`workflow.<status>`). */
const STATUS_TYPES = new Set(
  ["queued", "started", "completed", "failed", "crashed", "interrupted", "dropped"].map(
    (status) => `workflow.${status}`,
  ),
);

/**
 * One side of a replay, read-only: the recorded workspace (its `logs.db` and archive day files)
 * or the copy the replay ran. Outcomes are found through the lineage (which compute a signal
 * set off, what that compute made), rows through the log and the archive.
 */
export class SpanStore {
  constructor(
    private readonly reader: StoreReader,
    private readonly lineage: LineageReader,
    private readonly archive: ArchiveRows | null,
  ) {}

  /** The signals logged with `from <= ts <= to`, oldest first (database and archive). */
  signalsBetween(from: number, to: number): FedSignal[] {
    const rows = this.reader.query({ type: "signal", since: from, until: to + 1, limit: ALL });
    const all = dedupe([...(this.archive?.rowsBetween("signal", from, to) ?? []), ...rows]);
    return all
      .filter((row) => row.source.startsWith("sense:") && row.refId !== null)
      .sort((a, b) => a.ts - b.ts || a.id - b.id)
      .map((row) => ({
        id: row.refId ?? "",
        sense: row.source.slice("sense:".length),
        ts: row.ts,
        payload: row.payload,
      }));
  }

  /**
   * What each of `fed` led to among the `senses` under test: the computes it set off (a
   * compute of coalesced signals counts under its first one), what they made, and what the
   * signals they made set off in turn, in compute order.
   */
  outcomesOf(fed: readonly FedSignal[], senses: ReadonlySet<string>): FedOutcomes[] {
    return fed.map((cause) => {
      const outcomes: Outcome[] = [];
      const queue = [cause.id];
      const seen = new Set(queue);
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        for (const compute of this.lineage.causedBy(id)) {
          if (compute.causes[0] !== id || !senses.has(compute.sense)) continue;
          const outcome = this.outcome(compute, cause.ts);
          if (outcome === null) continue;
          outcomes.push(outcome);
          if (outcome.kind === "signal" && !seen.has(outcome.id)) {
            seen.add(outcome.id);
            queue.push(outcome.id);
          }
        }
      }
      return { cause, outcomes };
    });
  }

  private outcome(compute: ComputeLineage, near: number): Outcome | null {
    const { sense, effect } = compute;
    switch (compute.outcome) {
      case "none":
        return null;
      case "error":
      case "timeout":
        return { kind: "error", sense, message: effect ?? compute.outcome };
      case "signal": {
        const row = this.rowsAbout(effect ?? "", near).find((r) => r.type === "signal");
        return { kind: "signal", sense, id: effect ?? "", payload: row?.payload ?? null };
      }
      case "run":
        return this.launch(sense, effect ?? "", near);
    }
  }

  private launch(sense: string, runId: string, near: number): LaunchOutcome {
    const rows = this.rowsAbout(runId, near);
    const launch: LaunchOutcome = {
      kind: "launch",
      sense,
      runId,
      workflow: rows[0]?.source.replace(/^workflow:/, "") ?? "",
      prompt: null,
      payload: null,
      status: "unknown",
      roles: [],
      contents: [],
    };
    for (const row of rows) {
      if (STATUS_TYPES.has(row.type)) launch.status = row.type.slice("workflow.".length);
      if (row.type !== MESSAGE) continue;
      const message = row.payload as { kind?: string; role?: string; content?: unknown } & {
        prompt?: string;
        payload?: unknown;
      };
      if (message.kind === "start") {
        launch.prompt = message.prompt ?? null;
        launch.payload = message.payload ?? null;
      } else if (message.kind === "role") {
        launch.roles.push(message.role ?? "");
        launch.contents.push(message.content ?? null);
      }
    }
    return launch;
  }

  /** Rows about a signal or run id, in id order: the database's, and the archive's around `near`. */
  private rowsAbout(refId: string, near: number): LogRow[] {
    const rows = this.reader.query({ refId, limit: ALL, order: "asc" });
    const archived = this.archive?.rowsAbout(refId, near - DAY_MS, near + DAY_MS) ?? [];
    return dedupe([...archived, ...rows]).sort((a, b) => a.id - b.id);
  }
}

function dedupe(rows: LogRow[]): LogRow[] {
  const byId = new Map<number, LogRow>();
  for (const row of rows) byId.set(row.id, row);
  return [...byId.values()];
}
