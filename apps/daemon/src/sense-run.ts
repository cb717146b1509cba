// `@nerve/daemon/sense-run`: one compute in the calling process, for `nerve sense run`.
export { runSenseOnce, SenseRunTimeoutError, type SenseRunResult } from "./sense/run-once.js";
