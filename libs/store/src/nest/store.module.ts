import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from "@nestjs/common";
import { LogArchive } from "../archive/log-archive.js";
import { BlobStore } from "../blobs/blob-store.js";
import { LogStore, type LogStoreOptions } from "../log/log-store.js";
import { WalCheckpointer } from "../log/wal-checkpointer.js";
import { MetaStore } from "../meta/meta-store.js";
import { StoreReader } from "../reader/store-reader.js";
import { RunStore } from "../runs/run-store.js";
import { SenseQuery } from "../sense-db/sense-query.js";
import { LogConnection, openLogConnection } from "./log-connection.js";

export interface StoreModuleOptions {
  /** The workspace root; the store lives in its `data/` folder. */
  root: string;
  /** Group commit tuning; failed commits are logged unless `onError` is given. */
  log?: LogStoreOptions;
  /**
   * Checkpoint the WAL of `logs.db` from a thread of its own (see {@link WalCheckpointer}), so
   * commits never wait for a checkpoint's fsyncs. Default false: SQLite checkpoints inside
   * the commits, as usual. The daemon turns it on.
   */
  checkpointThread?: boolean;
}

/** Pages the WAL may reach before the committing connection checkpoints it itself, when a
 * thread does the checkpoints (SQLite's default is 1,000; measured best with the thread). */
const BACKSTOP_CHECKPOINT_PAGES = 4_000;

/** Injection token of the options given to {@link StoreModule.forRoot}. */
export const STORE_OPTIONS = Symbol("STORE_OPTIONS");

/**
 * The store for a Nest application (global): the LogConnection on `data/logs.db` (raw
 * better-sqlite3, migrated at start by TypeORM in a process of its own when a migration is due,
 * see openLogConnection; TypeORM is never loaded here) and, on it, LogStore, RunStore, MetaStore, StoreReader and LogArchive; plus
 * BlobStore and SenseQuery. At shutdown the log is flushed (before application shutdown, so rows
 * appended by other modules' destroy hooks are written), then its connection is closed
 * (application shutdown, the last phase).
 */
@Global()
@Module({})
export class StoreModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(StoreModule.name);

  constructor(
    @Inject(LogStore) private readonly logStore: LogStore,
    @Inject(LogConnection) private readonly connection: LogConnection,
    @Inject(WalCheckpointer) private readonly checkpointer: WalCheckpointer,
  ) {}

  static forRoot(options: StoreModuleOptions): DynamicModule {
    const { root } = options;
    const logger = new Logger("LogStore");
    const onError = options.log?.onError ?? ((error: Error) => logger.error(error.message));
    return {
      module: StoreModule,
      global: true,
      providers: [
        { provide: STORE_OPTIONS, useValue: options },
        {
          provide: LogConnection,
          useFactory: (): Promise<LogConnection> =>
            openLogConnection(root, (message) => logger.log(message)),
        },
        {
          provide: StoreReader,
          useFactory: (log: LogConnection) => new StoreReader(log.db),
          inject: [LogConnection],
        },
        {
          provide: WalCheckpointer,
          useFactory: (log: LogConnection) => {
            if (options.checkpointThread !== true) return WalCheckpointer.none();
            log.db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
            return WalCheckpointer.start(log.db.name, {
              onError: (error) => logger.error(error.message),
            });
          },
          inject: [LogConnection],
        },
        {
          provide: LogStore,
          useFactory: (log: LogConnection, checkpointer: WalCheckpointer) => {
            const onCommit = checkpointer.threaded ? () => checkpointer.notify() : undefined;
            return new LogStore(log.db, { onCommit, ...options.log, onError });
          },
          inject: [LogConnection, WalCheckpointer],
        },
        {
          provide: RunStore,
          useFactory: (log: LogConnection, reader: StoreReader) => new RunStore(log.db, reader),
          inject: [LogConnection, StoreReader],
        },
        {
          provide: MetaStore,
          useFactory: (log: LogConnection, reader: StoreReader) => new MetaStore(log.db, reader),
          inject: [LogConnection, StoreReader],
        },
        {
          provide: LogArchive,
          useFactory: (log: LogConnection) => new LogArchive(log.db, root),
          inject: [LogConnection],
        },
        { provide: BlobStore, useFactory: () => new BlobStore(root) },
        { provide: SenseQuery, useFactory: () => new SenseQuery() },
      ],
      exports: [
        STORE_OPTIONS,
        LogConnection,
        StoreReader,
        LogStore,
        WalCheckpointer,
        RunStore,
        MetaStore,
        LogArchive,
        BlobStore,
        SenseQuery,
      ],
    };
  }

  async beforeApplicationShutdown(): Promise<void> {
    try {
      await this.logStore.flush();
    } catch (error) {
      // close() retries once more at application shutdown and reports what is lost.
      this.logger.error((error as Error).message);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.logStore.close();
    } finally {
      // The thread's connection closes first: the daemon's, the last one, then checkpoints the
      // whole WAL and removes it.
      await this.checkpointer.stop();
      if (this.connection.db.open) this.connection.db.close();
    }
  }
}
