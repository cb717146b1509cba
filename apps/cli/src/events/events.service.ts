import { Injectable } from "@nestjs/common";
import type { LogRow } from "@nerve/core";
import { outputWidth, printLine } from "../common/output.js";
import { findWorkspace } from "../common/workspace.js";
import type { WorkspaceOptions } from "../common/workspace-command.js";
import type { EventFilter, EventQueries } from "./event-queries.js";

export interface EventsOptions extends WorkspaceOptions {
  type?: string[];
  source?: string;
  ref?: string;
  since?: number;
  until?: number;
  limit?: number;
  follow?: boolean;
}

/** Rows shown when `--limit` is not given. */
export const DEFAULT_EVENTS_LIMIT = 50;

/** How often `-f` asks the database for new rows: four times a second. */
export const FOLLOW_POLL_MS = 250;

/** Rows read per poll while following; more wait for the next poll (immediately after). */
const FOLLOW_BATCH = 1_000;

/**
 * `nerve events`: the structured log from the store (with or without a daemon), filtered, and
 * with `-f` the rows that match as they commit. `--json` prints an array of log rows (SPEC §8
 * shape); following, one row object per line (JSON Lines), so a reader can act on each.
 */
@Injectable()
export class EventsService {
  async show(options: EventsOptions): Promise<void> {
    const root = findWorkspace({ root: options.root });
    const filter: EventFilter = {
      types: options.type,
      source: options.source,
      refId: options.ref,
      since: options.since,
      until: options.until,
    };
    const limit = options.limit ?? DEFAULT_EVENTS_LIMIT;
    const { StoreReader, openLogDatabase } = await import("@nerve/store/reader");
    const { EventQueries } = await import("./event-queries.js");
    const print = await printerFor(options.json === true, options.follow === true);
    const db = openLogDatabase(root);
    try {
      const queries = new EventQueries(new StoreReader(db));
      // The head first: a row committed while the page is read is then printed by the follow.
      const head = queries.lastId();
      const rows = queries.latest(filter, limit, head);
      if (!options.follow) {
        if (options.json) printLine(JSON.stringify(rows, null, 2));
        else for (const row of rows) print(row);
        return;
      }
      for (const row of rows) print(row);
      await follow(queries, filter, head, print);
    } finally {
      db.close();
    }
  }
}

/** How one row is printed: the text line, or (following with --json) one JSON line. */
async function printerFor(json: boolean, follow: boolean): Promise<(row: LogRow) => void> {
  if (json) {
    return follow ? (row) => printLine(JSON.stringify(row)) : () => undefined;
  }
  const { formatEventLine } = await import("./event-line.view.js");
  const width = outputWidth();
  return (row) => printLine(formatEventLine(row, width));
}

/** Prints the rows committed after `afterId` that match, until SIGINT or SIGTERM. */
function follow(
  queries: EventQueries,
  filter: EventFilter,
  afterId: number,
  print: (row: LogRow) => void,
): Promise<void> {
  let last = afterId;
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    const poll = () => {
      let rows: LogRow[];
      do {
        rows = queries.after(filter, last, FOLLOW_BATCH);
        for (const row of rows) {
          print(row);
          last = row.id;
        }
      } while (rows.length === FOLLOW_BATCH);
      timer = setTimeout(poll, FOLLOW_POLL_MS);
    };
    timer = setTimeout(poll, FOLLOW_POLL_MS);
    const stop = () => {
      if (timer !== null) clearTimeout(timer);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
