/**
 * Reads files of the workspace for the config compiler. Paths are relative to the workspace
 * root with "/" separators (e.g. `senses/cpu/compute.ts`). Implementations answer `false`
 * for anything that is not a regular file and should not throw.
 */
export interface WorkspaceFs {
  isFile(relativePath: string): boolean;
}

/** One problem found in nerve.yaml, with where it is and what was expected. */
export interface ConfigIssue {
  /** YAML path such as `senses.cpu-usage.throttle` or `reflexes[0].on[1]`; "" for the document itself. */
  path: string;
  /** 1-based line of the offending node, or null when the YAML has no node for it. */
  line: number | null;
  /** 1-based column of the offending node, or null when the YAML has no node for it. */
  col: number | null;
  message: string;
}

/** The outcome of compiling nerve.yaml: `config` is set exactly when there are no errors. */
export interface ConfigReport {
  ok: boolean;
  config: CompiledConfig | null;
  /** Every error found, in file order (issues without a position last). */
  errors: ConfigIssue[];
  /** Problems that do not stop the daemon, such as a sense that no reflex schedules. */
  warnings: ConfigIssue[];
}

/** nerve.yaml with defaults applied, durations in milliseconds and cross-references checked. */
export interface CompiledConfig {
  maxRounds: number;
  /** In YAML order. */
  senses: CompiledSense[];
  /** In YAML order. */
  reflexes: CompiledReflex[];
  /** In YAML order. */
  workflows: CompiledWorkflow[];
  /** Normalised paths relative to the workspace root, without duplicates. */
  modules: string[];
  /** Retention of the log and its archive (`store:`). */
  store: CompiledStore;
  /** Where the web dashboard listens; absent when nerve.yaml has no `dashboard` (it is off). */
  dashboard?: CompiledDashboard;
}

/** The `store:` block: what the daemon's retention pass keeps, archives and deletes. */
export interface CompiledStore {
  /** Whole UTC days older than this go to the archive (default 7 days). */
  archiveAfterMs: number;
  /** Archived days older than this are deleted; null: never. */
  deleteArchiveAfterMs: number | null;
  /** `logs.db` + the archive kept under this many bytes, oldest archived days deleted first; null: no limit. */
  maxSizeBytes: number | null;
}

/** The `dashboard` section: the daemon serves its web dashboard on `host`:`port`. */
export interface CompiledDashboard {
  /** TCP port; 0 asks the system for any free port. */
  port: number;
  /** Address to listen on (127.0.0.1 unless nerve.yaml says otherwise). */
  host: string;
}

export interface CompiledSense {
  name: string;
  group: string;
  throttleMs: number;
  timeoutMs: number;
  gracePeriodMs: number;
  /** The compute file found, e.g. `senses/cpu/compute.ts`; null only in a report with errors. */
  computeFile: string | null;
}

export interface CompiledReflex {
  kind: "sense";
  sense: string;
  intervalMs: number | null;
  /** Senses whose signals trigger this reflex, without duplicates. */
  on: string[];
  /** Position of the reflex in the `reflexes` list. */
  index: number;
}

export type OverflowPolicy = "drop" | "queue";

export interface CompiledWorkflow {
  name: string;
  concurrency: number;
  overflow: OverflowPolicy;
  maxQueue: number;
  /** The definition file found, e.g. `workflows/cleanup/index.ts`; null only in a report with errors. */
  file: string | null;
}
