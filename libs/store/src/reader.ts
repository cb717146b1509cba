/**
 * `@nerve/store/reader`: read the store with raw better-sqlite3 — no TypeORM, no Nest — for
 * worker processes (`ctx.log`) and the CLI (`workflow list/inspect/thread`).
 */
export { StoreReader, WORKFLOW_MESSAGE_TYPE } from "./reader/store-reader.js";
export {
  BUSY_TIMEOUT_MS,
  configureLogConnection,
  migrateLogDatabase,
  openLogDatabase,
  readLogSchemaVersion,
  type OpenLogDatabaseOptions,
} from "./log/open-log-db.js";
export {
  LOG_SCHEMA_STEPS,
  LOG_SCHEMA_VERSION,
  LOG_UPDATE_REFUSED,
  LOG_DELETE_REFUSED,
  type LogSchemaStep,
} from "./log/schema.js";
export {
  DEFAULT_LOG_QUERY_LIMIT,
  JsonText,
  parsePayload,
  payloadText,
  type StoredLogRow,
} from "./log/log-codec.js";
export { MetaStore } from "./meta/meta-store.js";
export { buildThread, contentLength, isThreadMessage } from "./runs/thread.js";
export { newRunId } from "./runs/run-id.js";
export {
  ACTIVE_RUN_STATUSES,
  DEFAULT_RUN_LIST_LIMIT,
  type RunListQuery,
  type RunThread,
  type ThreadOptions,
  type ThreadRound,
  type WorkflowRunRecord,
} from "./runs/run-types.js";
export { storePaths, type StorePaths } from "./paths.js";
export * from "./errors/index.js";
export type { ComputeLineage, LineageOutcome, LineageTrigger } from "./lineage/lineage-types.js";
export { LineageReader } from "./lineage/lineage-reader.js";
