import { format } from "node:util";
import type {
  BlobAccess,
  LogQuery,
  LogReader,
  LogRow,
  Logger,
  SenseContext,
  SenseTrigger,
} from "@nerve/core";
import { BlobStore } from "@nerve/store/blobs";
import { openLogDatabase, StoreReader } from "@nerve/store/reader";
import { openPeerDatabase } from "@nerve/store/sense-db";
import type { Database } from "better-sqlite3";
import type { LogLevel } from "./messages.js";

/** Sends one `ctx.logger` line to the daemon. */
export type LogSink = (sense: string, level: LogLevel, message: string) => void;

/**
 * What the senses of one worker share: read-only peers, the log reader and the blob store,
 * each opened once, on first use.
 */
export class SharedResources {
  private readonly peers = new Map<string, Database>();
  private reader: { db: Database; reader: StoreReader } | null = null;
  private blobStore: BlobStore | null = null;

  constructor(readonly root: string) {}

  /** A cached read-only handle on another sense's database (writes throw); `ctx.peer` itself. */
  readonly peer = (name: string): Database => {
    let db = this.peers.get(name);
    if (db === undefined || !db.open) {
      db = openPeerDatabase(this.root, name);
      this.peers.set(name, db);
    }
    return db;
  };

  /** Read-only queries over `data/logs.db`. */
  readonly log: LogReader = {
    query: (query?: LogQuery): LogRow[] => this.logReader().query(query),
  };

  /** `data/blobs/` of the workspace. */
  readonly blobs: BlobAccess = {
    put: (data) => this.blobAccess().put(data),
    get: (hash) => this.blobAccess().get(hash),
    has: (hash) => this.blobAccess().has(hash),
  };

  close(): void {
    for (const db of this.peers.values()) closeQuietly(db);
    this.peers.clear();
    if (this.reader !== null) closeQuietly(this.reader.db);
    this.reader = null;
  }

  private logReader(): StoreReader {
    if (this.reader === null) {
      const db = openLogDatabase(this.root, { readonly: true });
      this.reader = { db, reader: new StoreReader(db) };
    }
    return this.reader.reader;
  }

  private blobAccess(): BlobStore {
    if (this.blobStore === null) {
      this.blobStore = new BlobStore(this.root);
    }
    return this.blobStore;
  }
}

/** The `ctx` of one compute (SPEC §4); `now` is the instant it is for (epoch ms). */
export function createSenseContext(
  name: string,
  trigger: SenseTrigger,
  now: number,
  db: Database | (() => Database),
  abort: { readonly signal: AbortSignal },
  shared: SharedResources,
  sink: LogSink,
): SenseContext {
  return new ComputeContext(name, trigger, now, db, abort, shared, sink);
}

/**
 * A compute's `ctx` as an instance of one class: made on every compute, so no closure and no
 * accessor is created per compute (an object literal with getters costs several times more).
 * `db`, `signal` and `logger` are getters of the class, each made on first use.
 */
class ComputeContext implements SenseContext {
  readonly peer: (name: string) => Database;
  readonly log: LogReader;
  readonly blobs: BlobAccess;
  // `db` as a function: the worker checks that the file is still the one it opened (a stat)
  // only for computes that use it. Its result is kept for the rest of the compute.
  readonly #db: Database | (() => Database);
  #database: Database | null = null;
  #logger: Logger | null = null;
  readonly #abort: { readonly signal: AbortSignal };
  readonly #sink: LogSink;

  constructor(
    readonly name: string,
    readonly trigger: SenseTrigger,
    readonly now: number,
    db: Database | (() => Database),
    abort: { readonly signal: AbortSignal },
    shared: SharedResources,
    sink: LogSink,
  ) {
    this.peer = shared.peer;
    this.log = shared.log;
    this.blobs = shared.blobs;
    this.#db = db;
    this.#abort = abort;
    this.#sink = sink;
  }

  get db(): Database {
    if (this.#database === null) {
      const db = this.#db;
      this.#database = typeof db === "function" ? db() : db;
    }
    return this.#database;
  }

  // Read when the compute asks for it: most computes never do (see LazyAbort).
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get logger(): Logger {
    this.#logger ??= createLogger(this.name, this.#sink);
    return this.#logger;
  }
}

/**
 * The abort of one compute, whose AbortController is made only when the compute reads
 * `ctx.signal` (a controller and its signal cost about a microsecond, on every compute). An abort
 * that came first is kept: the signal is then born aborted, with its reason.
 */
export class LazyAbort {
  private controller: AbortController | null = null;
  private aborted: { reason: unknown } | null = null;

  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.aborted !== null) this.controller.abort(this.aborted.reason);
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted !== null) return;
    this.aborted = { reason };
    this.controller?.abort(reason);
  }
}

function createLogger(sense: string, sink: LogSink): Logger {
  const line =
    (level: LogLevel) =>
    (message: string, ...details: unknown[]): void =>
      sink(sense, level, details.length === 0 ? String(message) : format(message, ...details));
  return { info: line("info"), warn: line("warn"), error: line("error") };
}

function closeQuietly(db: Database): void {
  try {
    db.close();
  } catch {
    // Closing at shutdown: nothing left to do with an error here.
  }
}
