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
}
