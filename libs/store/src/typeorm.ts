/**
 * `@nerve/store/typeorm`: TypeORM on `data/logs.db`, for a module that wants a DataSource
 * rather than raw SQL — StoreDataSource and createStoreDataSource, the entities, and the
 * migrations the daemon runs (LOG_MIGRATIONS, recorded in TYPEORM_MIGRATIONS_TABLE). Importing
 * it loads TypeORM; the daemon itself never does: it runs the migrations in a process of their
 * own (typeorm/migrate-process.ts).
 */
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
