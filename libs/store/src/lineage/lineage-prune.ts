import { setImmediate as nextTurn } from "node:timers/promises";
import type { Database as SqliteDatabase } from "better-sqlite3";

/** Computes deleted per write transaction, with their causes. */
const PRUNE_CHUNK = 500;

/**
 * Deletes the lineage of every compute that started before `before` (epoch ms) — its
 * `lineage_compute` row and its `lineage_cause` rows — in small transactions with a turn of the
 * event loop between them, like the archive's deletes. Retention calls it with the end of the
 * newest archived day it deleted: the log rows those computes read and made are gone, so
 * `nerve trace` has nothing left to show them with. Lineage of days only archived stays
 * (`nerve trace` reads archived rows).
 *
 * @returns the computes deleted.
 */
export async function pruneLineage(db: SqliteDatabase, before: number): Promise<number> {
  // In id order from where the last chunk stopped: ids are UUID v7, so the oldest come first.
  const next = db
    .prepare("SELECT id FROM lineage_compute WHERE id > ? AND ts < ? ORDER BY id LIMIT ?")
    .pluck();
  const removeCauses = db.prepare("DELETE FROM lineage_cause WHERE compute_id = ?");
  const removeCompute = db.prepare("DELETE FROM lineage_compute WHERE id = ?");
  const removeChunk = db.transaction((ids: readonly string[]) => {
    for (const id of ids) {
      removeCauses.run(id);
      removeCompute.run(id);
    }
  });
  let deleted = 0;
  let after = "";
  for (;;) {
    const ids = next.all(after, before, PRUNE_CHUNK) as string[];
    if (ids.length === 0) break;
    removeChunk.immediate(ids);
    deleted += ids.length;
    after = ids[ids.length - 1];
    await nextTurn();
  }
  return deleted;
}
