// `@nerve/daemon/sense-run`: computes in the calling process, for `nerve sense run` and `nerve sense backfill`.
export {
  runSenseOnce,
  SenseRunner,
  SenseRunTimeoutError,
  type SenseRunOptions,
  type SenseRunResult,
} from "./sense/run-once.js";
