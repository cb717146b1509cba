import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
} from "@nestjs/common";
import { NERVE_VERSION } from "@nerve/core";
import { LogArchive } from "../archive/log-archive.js";
import { BlobStore } from "../blobs/blob-store.js";
import { LogDatabaseOpenError, LogSchemaError } from "../errors/log.error.js";
import { StoreError } from "../errors/store.error.js";
import { storePaths } from "../paths.js";
import { LogStore, type LogStoreOptions } from "../log/log-store.js";
import {
  enableIncrementalVacuum,
  newerSchemaError,
  peekLogSchemaVersion,
  readLogSchemaVersion,
} from "../log/open-log-db.js";
import { LOG_SCHEMA_VERSION } from "../log/schema.js";
import { WalCheckpointer } from "../log/wal-checkpointer.js";
import { MetaStore } from "../meta/meta-store.js";
import { StoreReader } from "../reader/store-reader.js";
import { RunStore } from "../runs/run-store.js";
import { SenseQuery } from "../sense-db/sense-query.js";
import { StoreDataSource, createStoreDataSource } from "../typeorm/store-data-source.js";

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
 * The store for a Nest application (global): the TypeORM DataSource on `data/logs.db`
 * (migrated at start) and, on its connection, LogStore, RunStore, MetaStore, StoreReader and
 * LogArchive; plus BlobStore and SenseQuery. At shutdown the log is flushed (before
 * application shutdown, so rows appended by other modules' destroy hooks are written), then
 * closed with the DataSource (application shutdown, the last phase).
 */
@Global()
@Module({})
export class StoreModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(StoreModule.name);

  constructor(
    @Inject(LogStore) private readonly logStore: LogStore,
    @Inject(StoreDataSource) private readonly dataSource: StoreDataSource,
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
          provide: StoreDataSource,
          useFactory: async (): Promise<StoreDataSource> => {
            // Read before migrating: a database a newer Nerve wrote is refused untouched, and
            // an older one's migration is logged (from → to).
            const file = storePaths(root).logDb;
            let before: number | null;
            try {
              before = peekLogSchemaVersion(file);
            } catch (error) {
              throw new LogDatabaseOpenError(file, error);
            }
            if (before !== null && before > LOG_SCHEMA_VERSION)
              throw newerSchemaError(file, before);
            const created = createStoreDataSource(root);
            let dataSource: StoreDataSource;
            try {
              dataSource = await created.initialize();
            } catch (error) {
              throw error instanceof StoreError
                ? error
                : new LogDatabaseOpenError(storePaths(root).logDb, error);
            }
            const version = readLogSchemaVersion(dataSource.connection);
            if (version !== LOG_SCHEMA_VERSION) {
              await dataSource.destroy();
              throw new LogSchemaError(
                `${dataSource.connection.name} has schema version ${version}, expected ` +
                  `${LOG_SCHEMA_VERSION}; a newer Nerve wrote it`,
              );
            }
            if (before !== null && before < LOG_SCHEMA_VERSION) {
              logger.log(
                `migrated ${file} from schema version ${before} to ${version} (Nerve ${NERVE_VERSION})`,
              );
            }
            // Before anything else uses the connection, so the one VACUUM it may take stalls nobody.
            enableIncrementalVacuum(dataSource.connection);
            return dataSource;
          },
        },
        {
          provide: StoreReader,
          useFactory: (ds: StoreDataSource) => new StoreReader(ds.connection),
          inject: [StoreDataSource],
        },
        {
          provide: WalCheckpointer,
          useFactory: (ds: StoreDataSource) => {
            if (options.checkpointThread !== true) return WalCheckpointer.none();
            ds.connection.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
            return WalCheckpointer.start(ds.connection.name, {
              onError: (error) => logger.error(error.message),
            });
          },
          inject: [StoreDataSource],
        },
        {
          provide: LogStore,
          useFactory: (ds: StoreDataSource, checkpointer: WalCheckpointer) => {
            const onCommit = checkpointer.threaded ? () => checkpointer.notify() : undefined;
            return new LogStore(ds.connection, { onCommit, ...options.log, onError });
          },
          inject: [StoreDataSource, WalCheckpointer],
        },
        {
          provide: RunStore,
          useFactory: (ds: StoreDataSource, reader: StoreReader) =>
            new RunStore(ds.connection, reader),
          inject: [StoreDataSource, StoreReader],
        },
        {
          provide: MetaStore,
          useFactory: (ds: StoreDataSource, reader: StoreReader) =>
            new MetaStore(ds.connection, reader),
          inject: [StoreDataSource, StoreReader],
        },
        {
          provide: LogArchive,
          useFactory: (ds: StoreDataSource) => new LogArchive(ds.connection, root),
          inject: [StoreDataSource],
        },
        { provide: BlobStore, useFactory: () => new BlobStore(root) },
        { provide: SenseQuery, useFactory: () => new SenseQuery() },
      ],
      exports: [
        STORE_OPTIONS,
        StoreDataSource,
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
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    }
  }
}
