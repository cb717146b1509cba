/** Injection token of the options the engine runs with. */
export const NERVE_OPTIONS = Symbol("NERVE_OPTIONS");

/** How `NerveModule.forRoot` runs the engine. */
export interface NerveOptions {
  /** The workspace folder (holds nerve.yaml). */
  root: string;
  /** Serve the Unix socket (default true). */
  ipc?: boolean;
  /** Hot-reload nerve.yaml, sense, workflow and module files (default true). */
  watch?: boolean;
  /** Also print the daemon log on stdout, readably (`nerve dev`). */
  foreground?: boolean;
  /**
   * The least severe lines the daemon log keeps: `debug` adds Nest's bootstrap lines and other
   * detail. Default: the `NERVE_LOG_LEVEL` environment variable, else `info`.
   */
  logLevel?: "debug" | "info" | "warn" | "error";
}
