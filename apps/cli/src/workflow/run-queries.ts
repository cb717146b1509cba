import type { LogRow, WorkflowRunView } from "@nerve/core";
import {
  StoreReader,
  openLogDatabase,
  type RunThread,
  type WorkflowRunRecord,
} from "@nerve/store/reader";
import { AmbiguousRunIdError, UnknownRunError } from "./errors/run-lookup.error.js";
import { MIN_RUN_ID_PREFIX } from "./run-id.js";

export { MIN_RUN_ID_PREFIX };

/** Candidates named when a prefix is ambiguous. */
const CANDIDATES_SHOWN = 5;

/** One page of a listing. */
export interface Paging {
  limit: number;
  offset: number;
}

/** `nerve workflow list`: one page of runs and how many there are in all. */
export interface RunPage extends Paging {
  runs: WorkflowRunView[];
  total: number;
}

/** A run as `nerve workflow inspect` prints it: a list entry plus its payload. */
export type InspectedRun = Required<WorkflowRunView>;

/** `nerve workflow inspect --json`. */
export interface RunInspection {
  run: InspectedRun;
  /** The run's log rows, oldest first, one page. */
  logs: LogRow[];
  /** All of the run's log rows. */
  total: number;
}

/**
 * The reads behind `nerve workflow list|inspect|thread`, straight on `data/logs.db` (works with
 * or without a daemon). Run ids may be given whole or as a unique prefix.
 */
export class RunQueries {
  constructor(
    private readonly reader: StoreReader,
    private readonly root: string,
  ) {}

  /** Runs newest first: active only unless `all`, optionally of one workflow. */
  list(q: { all: boolean; workflow?: string } & Paging): RunPage {
    const filter = { all: q.all, workflow: q.workflow };
    return {
      runs: this.reader.listRuns({ ...filter, limit: q.limit, offset: q.offset }),
      total: this.reader.countRuns(filter),
      limit: q.limit,
      offset: q.offset,
    };
  }

  /**
   * The run with this id or, for at least {@link MIN_RUN_ID_PREFIX} characters, the one run
   * whose id starts with it.
   *
   * @throws UnknownRunError, AmbiguousRunIdError
   */
  resolve(idOrPrefix: string): WorkflowRunRecord {
    const exact = this.reader.getRun(idOrPrefix);
    if (exact !== null) return exact;
    if (idOrPrefix.length < MIN_RUN_ID_PREFIX) {
      throw new UnknownRunError(
        idOrPrefix,
        this.root,
        `a run id prefix needs at least ${MIN_RUN_ID_PREFIX} characters`,
      );
    }
    // A range on the primary key, not LIKE: no wildcards to escape, and it uses the index.
    const matches = this.reader
      .prepare(
        "SELECT run_id FROM workflow_runs WHERE run_id >= ? AND run_id < ? ORDER BY run_id LIMIT ?",
      )
      .pluck()
      .all(idOrPrefix, `${idOrPrefix}\uffff`, CANDIDATES_SHOWN + 1) as string[];
    if (matches.length === 0) throw new UnknownRunError(idOrPrefix, this.root);
    if (matches.length > 1) {
      throw new AmbiguousRunIdError(
        idOrPrefix,
        matches.slice(0, CANDIDATES_SHOWN),
        matches.length > CANDIDATES_SHOWN,
      );
    }
    const run = this.reader.getRun(matches[0]);
    if (run === null) throw new UnknownRunError(idOrPrefix, this.root);
    return run;
  }

  /**
   * For each id, its shortest prefix of at least {@link MIN_RUN_ID_PREFIX} characters that no
   * other run id in the store starts with, so what a table shows can be given to `inspect`.
   * Run ids are time-ordered UUIDs, so runs created close together share long prefixes; only
   * the two ids next to each one in sort order can share more of it than any other.
   */
  shortIds(runIds: readonly string[]): Map<string, string> {
    const below = this.reader
      .prepare("SELECT max(run_id) FROM workflow_runs WHERE run_id < ?")
      .pluck();
    const above = this.reader
      .prepare("SELECT min(run_id) FROM workflow_runs WHERE run_id > ?")
      .pluck();
    const short = new Map<string, string>();
    for (const id of runIds) {
      const shared = Math.max(
        commonPrefixLength(id, below.get(id) as string | null),
        commonPrefixLength(id, above.get(id) as string | null),
      );
      short.set(id, id.slice(0, Math.max(MIN_RUN_ID_PREFIX, shared + 1)));
    }
    return short;
  }

  /** The run, with one page of its log rows (oldest first) and their total. */
  inspect(idOrPrefix: string, paging: Paging): RunInspection {
    const run = this.resolve(idOrPrefix);
    const refId = run.runId;
    return {
      run: inspectedRun(run),
      logs: this.reader.query({ refId, order: "asc", limit: paging.limit, offset: paging.offset }),
      total: this.reader.count({ refId }),
    };
  }

  /** The run and its thread (`before` and `budget` as the store documents them). */
  thread(
    idOrPrefix: string,
    options: { before?: number; budget?: number },
  ): { run: WorkflowRunRecord; thread: RunThread } {
    const run = this.resolve(idOrPrefix);
    return { run, thread: this.reader.thread(run.runId, options) };
  }
}

/** Runs `use` with queries on the workspace's log database, closed afterwards. */
export function withRunQueries<T>(root: string, use: (queries: RunQueries) => T): T {
  const db = openLogDatabase(root);
  try {
    return use(new RunQueries(new StoreReader(db), root));
  } finally {
    db.close();
  }
}

/** The list entry's fields in the order of `workflow list --json`, with the payload after the
 * prompt; the engine-only fields (resumes, updatedAt) left out. */
function inspectedRun(run: WorkflowRunRecord): InspectedRun {
  return {
    runId: run.runId,
    workflow: run.workflow,
    status: run.status,
    rounds: run.rounds,
    maxRounds: run.maxRounds,
    prompt: run.prompt,
    payload: run.payload,
    source: run.source,
    causeId: run.causeId,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    endReason: run.endReason,
    error: run.error,
  };
}

function commonPrefixLength(a: string, b: string | null): number {
  if (b === null) return 0;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return i;
}
