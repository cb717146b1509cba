import type { LogRow, ThreadMessage } from "@nerve/core";
import {
  WORKFLOW_MESSAGE_TYPE,
  buildThread,
  isThreadMessage,
  type RunThread,
} from "@nerve/store/reader";

/** `nerve workflow thread --json`: the thread, marked when the run came from the archive. */
export type ThreadView = RunThread & { archived?: true };

/**
 * The log rows of a run from the log archive and from the database as one list, each id once
 * (a day being archived has its rows in both for a moment), in `inspect`'s order: ts, then id.
 */
export function mergeLogRows(archived: readonly LogRow[], inDb: readonly LogRow[]): LogRow[] {
  const byId = new Map<number, LogRow>();
  for (const row of archived) byId.set(row.id, row);
  for (const row of inDb) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => a.ts - b.ts || a.id - b.id);
}

/** The thread of an archived run from its log rows, marked as from the archive. */
export function archivedThread(
  runId: string,
  rows: readonly LogRow[],
  options: { before?: number; budget?: number },
): ThreadView {
  const messages: ThreadMessage[] = [];
  // Commit order, as the database's thread reads them.
  for (const row of [...rows].sort((a, b) => a.id - b.id)) {
    if (row.type === WORKFLOW_MESSAGE_TYPE && isThreadMessage(row.payload)) {
      messages.push(row.payload);
    }
  }
  return { ...buildThread(runId, messages, options), archived: true };
}
