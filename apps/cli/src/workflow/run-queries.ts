import type { LogRow, WorkflowRunView } from "@nerve/core";
import { RunArchiveReader } from "@nerve/store/archive";
import { StoreReader, openLogDatabase, type WorkflowRunRecord } from "@nerve/store/reader";
import { archivedThread, mergeLogRows, type ThreadView } from "./archived-run.js";
import { AmbiguousRunIdError, UnknownRunError } from "./errors/run-lookup.error.js";
import { MIN_RUN_ID_PREFIX } from "./run-id.js";

export { MIN_RUN_ID_PREFIX, type ThreadView };

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
  /** Present when the run came from the runs archive (`data/archive/runs/`), not the db. */
  archived?: true;
}

/** A run found by {@link RunQueries.locate}, in the database or in the runs archive. */
export interface LocatedRun {
  run: WorkflowRunRecord;
  archived: boolean;
}

/**
 * The reads behind `nerve workflow list|inspect|thread`, straight on `data/logs.db` (works with
 * or without a daemon). Run ids may be given whole or as a unique prefix.
 */
export class RunQueries {
  constructor(
    private readonly reader: StoreReader,
    private readonly root: string,
    private readonly archive = new RunArchiveReader(root),
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
    const matches = this.prefixMatches(idOrPrefix);
    const runId = onlyMatch(idOrPrefix, matches, this.root);
    const run = this.reader.getRun(runId);
    if (run === null) throw new UnknownRunError(idOrPrefix, this.root);
    return run;
  }

  /**
   * As {@link resolve}, and also among the runs moved to the archive (see RunArchive): a run
   * is looked for there when the database has no run with this id; a prefix names one run
   * across both.
   *
   * @throws UnknownRunError, AmbiguousRunIdError, ArchiveFileError (an unreadable archive line)
   */
  async locate(idOrPrefix: string): Promise<LocatedRun> {
    const exact = this.reader.getRun(idOrPrefix);
    if (exact !== null) return { run: exact, archived: false };
    const inDb = idOrPrefix.length < MIN_RUN_ID_PREFIX ? [] : this.prefixMatches(idOrPrefix);
    // With matches in the database, only the archive's days around the prefix's time are read.
    const inArchive = await this.archive.find(idOrPrefix, CANDIDATES_SHOWN + 1, inDb.length === 0);
    const archivedExact = inArchive.find((run) => run.runId === idOrPrefix);
    if (archivedExact !== undefined) return { run: archivedExact, archived: true };
    if (idOrPrefix.length < MIN_RUN_ID_PREFIX) {
      throw new UnknownRunError(
        idOrPrefix,
        this.root,
        `a run id prefix needs at least ${MIN_RUN_ID_PREFIX} characters`,
      );
    }
    const ids = [...new Set([...inDb, ...inArchive.map((run) => run.runId)])].sort();
    const runId = onlyMatch(idOrPrefix, ids, this.root);
    const run = inDb.includes(runId) ? this.reader.getRun(runId) : null;
    if (run !== null) return { run, archived: false };
    const archived = inArchive.find((candidate) => candidate.runId === runId);
    if (archived === undefined) throw new UnknownRunError(idOrPrefix, this.root);
    return { run: archived, archived: true };
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

  /**
   * The run, with one page of its log rows (oldest first) and their total. For an archived
   * run, its rows come from the log archive and the database together.
   */
  async inspect(idOrPrefix: string, paging: Paging): Promise<RunInspection> {
    const { run, archived } = await this.locate(idOrPrefix);
    const refId = run.runId;
    if (!archived) {
      return {
        run: inspectedRun(run),
        logs: this.reader.query({
          refId,
          order: "asc",
          limit: paging.limit,
          offset: paging.offset,
        }),
        total: this.reader.count({ refId }),
      };
    }
    const rows = await this.allRows(run);
    return {
      run: inspectedRun(run),
      logs: rows.slice(paging.offset, paging.offset + paging.limit),
      total: rows.length,
      archived: true,
    };
  }

  /** The run and its thread (`before` and `budget` as the store documents them). */
  async thread(
    idOrPrefix: string,
    options: { before?: number; budget?: number },
  ): Promise<{ run: WorkflowRunRecord; thread: ThreadView }> {
    const { run, archived } = await this.locate(idOrPrefix);
    if (!archived) return { run, thread: this.reader.thread(run.runId, options) };
    return { run, thread: archivedThread(run.runId, await this.allRows(run), options) };
  }

  /** Ids of runs in the database starting with `prefix`, a few more than are ever shown. */
  private prefixMatches(prefix: string): string[] {
    // A range on the primary key, not LIKE: no wildcards to escape, and it uses the index.
    return this.reader
      .prepare(
        "SELECT run_id FROM workflow_runs WHERE run_id >= ? AND run_id < ? ORDER BY run_id LIMIT ?",
      )
      .pluck()
      .all(prefix, `${prefix}\uffff`, CANDIDATES_SHOWN + 1) as string[];
  }

  /** An archived run's log rows, from the log archive and the database, oldest first. */
  private async allRows(run: WorkflowRunRecord): Promise<LogRow[]> {
    const inDb = this.reader.query({
      refId: run.runId,
      order: "asc",
      limit: Number.MAX_SAFE_INTEGER,
    });
    return mergeLogRows(await this.archive.logRows(run), inDb);
  }
}

/** Runs `use` with queries on the workspace's log database, closed afterwards. */
export async function withRunQueries<T>(
  root: string,
  use: (queries: RunQueries) => T | Promise<T>,
): Promise<T> {
  const db = openLogDatabase(root);
  try {
    return await use(new RunQueries(new StoreReader(db), root));
  } finally {
    db.close();
  }
}

/** The one id in `matches`, else why there is none. */
function onlyMatch(prefix: string, matches: readonly string[], root: string): string {
  if (matches.length === 0) throw new UnknownRunError(prefix, root);
  if (matches.length > 1) {
    throw new AmbiguousRunIdError(
      prefix,
      matches.slice(0, CANDIDATES_SHOWN),
      matches.length > CANDIDATES_SHOWN,
    );
  }
  return matches[0];
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
