import { DEFAULT_MAX_ROUNDS } from "../sdk/workflow.js";

/** Defaults applied by the config compiler where nerve.yaml is silent. */
export const CONFIG_DEFAULTS = {
  maxRounds: DEFAULT_MAX_ROUNDS,
  group: "default",
  throttleMs: 0,
  timeoutMs: 30_000,
  gracePeriodMs: 0,
  concurrency: 1,
  overflow: "queue",
  maxQueue: 100,
  /** `store.archive_after`: whole UTC days older than this go to the archive. */
  archiveAfterMs: 7 * 86_400_000,
  dashboardPort: 7777,
  dashboardHost: "127.0.0.1",
} as const;

/** The inclusive range accepted for `max_rounds`. */
export const MAX_ROUNDS_RANGE = { min: 1, max: 10_000 } as const;

/** Compute files looked for in `senses/<name>/`, first found wins. */
export const COMPUTE_FILES = ["compute.ts", "compute.js", "compute.mts"] as const;

/** Workflow definition files looked for in `workflows/<name>/`, first found wins. */
export const WORKFLOW_FILES = ["index.ts", "index.js", "index.mts"] as const;
