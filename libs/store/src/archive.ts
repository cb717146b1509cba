/** `@nerve/store/archive`: `nerve store archive` without TypeORM or Nest. */
export {
  ARCHIVE_LAST_DAY_KEY,
  ARCHIVE_LAST_RUN_KEY,
  LogArchive,
  type ArchiveHooks,
  type ArchiveOptions,
  type ArchiveProgress,
  type ArchiveResult,
} from "./archive/log-archive.js";
export {
  FINAL_RUN_STATUSES,
  RunArchive,
  type RunArchiveHooks,
  type RunArchiveOptions,
  type RunArchiveResult,
} from "./archive/run-archive.js";
export { RunArchiveReader } from "./archive/run-archive-reader.js";
export { ARCHIVE_LOCK_KEY } from "./archive/archive-lock.js";
export { DAY_MS, utcDay } from "./archive/archive-file.js";
export { openLogDatabase } from "./log/open-log-db.js";
export { ArchiveBusyError, ArchiveFileError, ArchiveWriteError } from "./errors/archive.error.js";
export { StoreError } from "./errors/store.error.js";
export { StoreVerifier, type VerifyOptions } from "./verify/store-verifier.js";
export type { VerifyProblem, VerifyProgress, VerifyReport } from "./verify/verify-types.js";
export {
  ChainHeadReader,
  GENESIS_HASH,
  canonicalRow,
  chainHash,
  chainPendingRows,
  type ChainHead,
} from "./log/log-chain.js";
export {
  ARCHIVE_PRUNED_KEY,
  StoreRetention,
  parseAnchor,
  type PruneAnchor,
  type PruneReason,
  type RetentionHooks,
  type RetentionPolicy,
  type RetentionResult,
} from "./retention/store-retention.js";
