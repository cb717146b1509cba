import type { ForkedWorkerOptions } from "./forked-worker.types.js";
import type { ProcessForker } from "./process-forker.js";

/** How a worker factory forks its workers, and where it says what went wrong. */
export interface ForkSetupOptions<TTimings> {
  forker: ProcessForker;
  clock: { now(): number };
  /** Timings the options override, if any. */
  timings: Partial<TTimings> | undefined;
  /** The built worker entry (`dist/.../*-worker.js`). */
  entry: string;
  /** A file to run instead, as the options name it; then nothing is bundled. */
  override: string | undefined;
  /** What the workers are, for messages: `sense worker`. */
  what: string;
  /** Bundles the entry into one file (see EsbuildCompiler.bundleWorker). */
  bundle(entry: string): Promise<{ file: string }>;
  /** Says that bundling failed and workers run the entry itself. */
  warn(message: string): void;
}

/**
 * What a worker factory's hosts are forked with. The file is the worker entry bundled into one
 * file, the built entry itself when bundling fails (slower to start, same behaviour), or the
 * file the options name.
 */
export class ForkSetup<TTimings> {
  private file: string;

  constructor(private readonly options: ForkSetupOptions<TTimings>) {
    this.file = options.override ?? options.entry;
  }

  /** The file workers run. */
  get workerFile(): string {
    return this.file;
  }

  /** Bundles the entry, unless the options name a file (called once, before any fork). */
  async prepare(): Promise<void> {
    const { entry, override, what } = this.options;
    if (override !== undefined) return;
    try {
      this.file = (await this.options.bundle(entry)).file;
    } catch (error) {
      this.options.warn(
        `could not bundle the ${what} (${(error as Error).message}); workers run ${entry}`,
      );
    }
  }

  /** The options of a new host, besides its init and listener. */
  hostOptions(): ForkedWorkerOptions & { timings?: Partial<TTimings> } {
    const { forker, clock, timings } = this.options;
    return {
      workerFile: this.file,
      forker,
      clock,
      ...(timings === undefined ? {} : { timings }),
    };
  }
}
