/**
 * `@nerve/store`, the daemon side: StoreModule (TypeORM on `data/logs.db`), LogStore with
 * group commit, RunStore — and everything of the light subpath entries
 * (`@nerve/store/reader`, `/archive`, `/blobs`, `/sense-db`), which processes that must stay
 * light import instead of this one.
 */
export * from "./reader.js";
export * from "./archive.js";
export * from "./blobs.js";
export * from "./sense-db.js";
export { LogStore, type LogStoreOptions } from "./log/log-store.js";
export { WalCheckpointer, type WalCheckpointerOptions } from "./log/wal-checkpointer.js";
export { RunStore, type NewRun, type TransitionOptions } from "./runs/run-store.js";
export { StoreModule, STORE_OPTIONS, type StoreModuleOptions } from "./nest/store.module.js";
export {
  StoreDataSource,
  TYPEORM_MIGRATIONS_TABLE,
  createStoreDataSource,
} from "./typeorm/store-data-source.js";
export { LogEntry } from "./typeorm/entities/log-entry.entity.js";
export { WorkflowRun } from "./typeorm/entities/workflow-run.entity.js";
export { Meta } from "./typeorm/entities/meta.entity.js";
export { LineageCause, LineageCompute } from "./typeorm/entities/lineage.entity.js";
export { LOG_MIGRATIONS } from "./typeorm/migrations/index.js";
