import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import type { ComputeLineage, LineageOutcome, LineageTrigger } from "./lineage-types.js";

interface StoredCompute {
  id: string;
  sense: string;
  trigger: string;
  ts: number;
  durationMs: number;
  outcome: string;
  effect: string | null;
}

const COMPUTE_COLUMNS =
  "c.id AS id, c.sense AS sense, c.trigger AS trigger, c.ts AS ts, " +
  "c.duration_ms AS durationMs, c.outcome AS outcome, c.effect AS effect";

/** Sorts after every character of an id: the end of a prefix range. */
const PREFIX_END = "\uffff";

/**
 * The reads of the lineage tables, each one index lookup (primary key, `lineage_compute_effect`
 * or `lineage_cause_compute`), so walking a chain costs a few lookups per node whatever the
 * size of the log. Light: raw better-sqlite3 on the caller's handle.
 */
export class LineageReader {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  /** The compute with this id, or null. */
  compute(id: string): ComputeLineage | null {
    const row = this.prepare(`SELECT ${COMPUTE_COLUMNS} FROM lineage_compute c WHERE c.id = ?`).get(
      id,
    ) as StoredCompute | undefined;
    return row === undefined ? null : this.withCauses(row);
  }

  /** The compute that made this signal or run, or null (a manual run, a signal from a module). */
  madeBy(effectId: string): ComputeLineage | null {
    const row = this.prepare(
      `SELECT ${COMPUTE_COLUMNS} FROM lineage_compute c WHERE c.effect = ? ` +
        "AND c.outcome IN ('signal', 'run') LIMIT 1",
    ).get(effectId) as StoredCompute | undefined;
    return row === undefined ? null : this.withCauses(row);
  }

  /** The computes this signal was coalesced into, oldest first. */
  causedBy(signalId: string): ComputeLineage[] {
    const rows = this.prepare(
      `SELECT ${COMPUTE_COLUMNS} FROM lineage_cause k JOIN lineage_compute c ON c.id = k.compute_id ` +
        "WHERE k.signal_id = ? ORDER BY c.id",
    ).all(signalId) as StoredCompute[];
    return rows.map((row) => this.withCauses(row));
  }

  /** Compute ids that start with `prefix`, at most `limit`. */
  computeIdsStartingWith(prefix: string, limit: number): string[] {
    return this.prepare(
      "SELECT id FROM lineage_compute WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
    )
      .pluck()
      .all(prefix, `${prefix}${PREFIX_END}`, limit) as string[];
  }

  /** Signal ids known to the lineage (as a cause or an effect) that start with `prefix`. */
  signalIdsStartingWith(prefix: string, limit: number): string[] {
    const end = `${prefix}${PREFIX_END}`;
    const causes = this.prepare(
      "SELECT DISTINCT signal_id FROM lineage_cause WHERE signal_id >= ? AND signal_id < ? " +
        "ORDER BY signal_id LIMIT ?",
    )
      .pluck()
      .all(prefix, end, limit) as string[];
    const effects = this.prepare(
      "SELECT effect FROM lineage_compute WHERE effect >= ? AND effect < ? AND outcome = 'signal' " +
        "ORDER BY effect LIMIT ?",
    )
      .pluck()
      .all(prefix, end, limit) as string[];
    return [...new Set([...causes, ...effects])].sort().slice(0, limit);
  }

  private withCauses(row: StoredCompute): ComputeLineage {
    const causes = this.prepare(
      "SELECT signal_id FROM lineage_cause WHERE compute_id = ? ORDER BY signal_id",
    )
      .pluck()
      .all(row.id) as string[];
    return {
      id: row.id,
      sense: row.sense,
      trigger: row.trigger as LineageTrigger,
      ts: row.ts,
      durationMs: row.durationMs,
      outcome: row.outcome as LineageOutcome,
      effect: row.effect,
      causes,
    };
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
