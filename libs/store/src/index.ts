/**
 * `@nerve/store`, the daemon side: StoreModule (the LogConnection on `data/logs.db`), LogStore
 * with group commit, RunStore — and everything of the light subpath entries
 * (`@nerve/store/reader`, `/archive`, `/blobs`, `/sense-db`), which processes that must stay
 * light import instead of this one. It does not import TypeORM: the DataSource, the entities and
 * the migrations are in `@nerve/store/typeorm`.
 */
export * from "./reader.js";
export * from "./archive.js";
export * from "./blobs.js";
export * from "./sense-db.js";
export { LogStore, type LogStoreOptions } from "./log/log-store.js";
export { WalCheckpointer, type WalCheckpointerOptions } from "./log/wal-checkpointer.js";
export { RunStore, type NewRun, type TransitionOptions } from "./runs/run-store.js";
export { StoreModule, STORE_OPTIONS, type StoreModuleOptions } from "./nest/store.module.js";
export { LogConnection } from "./nest/log-connection.js";
export {
  SignalOutbox,
  outboxPath,
  type NewOutboxEntry,
  type OutboxEntry,
} from "./outbox/signal-outbox.js";
