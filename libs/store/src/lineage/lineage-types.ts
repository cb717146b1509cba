/** How a compute was triggered (SPEC §4 `trigger.kind`). */
export type LineageTrigger = "interval" | "manual" | "signal";

/** What a compute led to. */
export type LineageOutcome = "signal" | "run" | "error" | "timeout" | "none";

/**
 * One compute as the lineage records it: which signals were coalesced into it, what it made.
 * `effect` is the signal id (`signal`), the run id (`run`), the error message (`error`,
 * `timeout`), or null (`none`).
 */
export interface ComputeLineage {
  /** A UUID v7 made when the compute started. */
  id: string;
  sense: string;
  trigger: LineageTrigger;
  /** When the compute started, epoch ms. */
  ts: number;
  durationMs: number;
  outcome: LineageOutcome;
  effect: string | null;
  /** The signals coalesced into it, oldest first (empty unless trigger is `signal`). */
  causes: readonly string[];
}

export const INSERT_COMPUTE_SQL =
  'INSERT OR IGNORE INTO "lineage_compute" (id, sense, trigger, ts, duration_ms, outcome, effect) ' +
  "VALUES (?, ?, ?, ?, ?, ?, ?)";
export const INSERT_CAUSE_SQL =
  'INSERT OR IGNORE INTO "lineage_cause" (signal_id, compute_id) VALUES (?, ?)';
