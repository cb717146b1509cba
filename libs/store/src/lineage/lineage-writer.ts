import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import { INSERT_CAUSE_SQL, INSERT_COMPUTE_SQL, type ComputeLineage } from "./lineage-types.js";

/** Computes (and causes) bound to one multi-row INSERT. */
export const LINEAGE_ROWS_PER_INSERT = 32;

const COMPUTE_COLUMNS = 7;
const CAUSE_COLUMNS = 2;

/** `sql`, a one-row `INSERT … VALUES (…)`, with `rows` value lists. */
function manyRows(sql: string, rows: number): string {
  const at = sql.lastIndexOf("VALUES ") + "VALUES ".length;
  const values = sql.slice(at);
  return sql.slice(0, at) + Array<string>(rows).fill(values).join(", ");
}

/**
 * Writes the lineage of a commit's computes inside the caller's transaction: the
 * `lineage_compute` rows in one multi-row INSERT per {@link LINEAGE_ROWS_PER_INSERT} computes,
 * then their `lineage_cause` rows the same way, the rest one by one. Same rows, same
 * `OR IGNORE`, as one statement per row: only the calls into the driver are fewer.
 */
export class LineageWriter {
  private readonly computeOne: Statement;
  private readonly computeMany: Statement;
  private readonly causeOne: Statement;
  private readonly causeMany: Statement;
  /** The parameters of one multi-row INSERT, reused. */
  private readonly params: (string | number | null)[] = [];

  constructor(db: SqliteDatabase) {
    this.computeOne = db.prepare(INSERT_COMPUTE_SQL);
    this.computeMany = db.prepare(manyRows(INSERT_COMPUTE_SQL, LINEAGE_ROWS_PER_INSERT));
    this.causeOne = db.prepare(INSERT_CAUSE_SQL);
    this.causeMany = db.prepare(manyRows(INSERT_CAUSE_SQL, LINEAGE_ROWS_PER_INSERT));
  }

  /** Inserts `lineage` (call inside a write transaction). */
  write(lineage: readonly ComputeLineage[]): void {
    if (lineage.length === 0) return;
    const params = this.params;
    params.length = 0;
    let causes = 0;
    const grouped = lineage.length - (lineage.length % LINEAGE_ROWS_PER_INSERT);
    for (let i = 0; i < lineage.length; i += 1) {
      const c = lineage[i];
      causes += c.causes.length;
      if (i < grouped) {
        params.push(c.id, c.sense, c.trigger, c.ts, c.durationMs, c.outcome, c.effect);
        if (params.length === LINEAGE_ROWS_PER_INSERT * COMPUTE_COLUMNS) {
          this.computeMany.run(params);
          params.length = 0;
        }
      } else {
        this.computeOne.run(c.id, c.sense, c.trigger, c.ts, c.durationMs, c.outcome, c.effect);
      }
    }
    if (causes > 0) this.writeCauses(lineage, causes);
  }

  private writeCauses(lineage: readonly ComputeLineage[], total: number): void {
    const params = this.params;
    params.length = 0;
    const grouped = total - (total % LINEAGE_ROWS_PER_INSERT);
    let n = 0;
    for (const c of lineage) {
      for (const signalId of c.causes) {
        if (n < grouped) {
          params.push(signalId, c.id);
          if (params.length === LINEAGE_ROWS_PER_INSERT * CAUSE_COLUMNS) {
            this.causeMany.run(params);
            params.length = 0;
          }
        } else {
          this.causeOne.run(signalId, c.id);
        }
        n += 1;
      }
    }
  }
}
