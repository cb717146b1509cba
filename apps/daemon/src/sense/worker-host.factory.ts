import { Inject, Injectable, Optional } from "@nestjs/common";
import { Clock } from "../kernel/clock.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { ProcessForker } from "./process-forker.js";
import { SenseCompiler } from "./sense-compiler.js";
import { SENSE_RUNTIME_OPTIONS, type SenseRuntimeOptions } from "./sense-runtime.options.js";
import { WorkerHost } from "./worker-host.js";
import {
  SenseWorkerFactory,
  type SenseWorkerHandle,
  type WorkerHostListener,
} from "./worker-host.types.js";
import type { WorkerInit } from "./worker/messages.js";
import { senseWorkerFile } from "./worker-file.js";

/**
 * Creates real forked workers (WorkerHost). They run the worker entry bundled into one file
 * (see SenseCompiler.bundleWorker), or the built entry itself when bundling fails or
 * `SenseRuntimeOptions.workerFile` names a file.
 */
@Injectable()
export class WorkerHostFactory extends SenseWorkerFactory {
  private workerFileValue: string;

  constructor(
    private readonly forker: ProcessForker,
    private readonly clock: Clock,
    private readonly compiler: SenseCompiler,
    private readonly daemonLog: DaemonLog,
    @Optional() @Inject(SENSE_RUNTIME_OPTIONS) private readonly options: SenseRuntimeOptions = {},
  ) {
    super();
    this.workerFileValue = options.workerFile ?? senseWorkerFile();
  }

  /** The file workers run. */
  get workerFile(): string {
    return this.workerFileValue;
  }

  async prepare(): Promise<void> {
    if (this.options.workerFile !== undefined) return;
    const entry = senseWorkerFile();
    try {
      this.workerFileValue = (await this.compiler.bundleWorker(entry)).file;
    } catch (error) {
      this.daemonLog.warn(
        "sense-runtime",
        `could not bundle the sense worker (${(error as Error).message}); workers run ${entry}`,
      );
    }
  }

  create(init: WorkerInit, listener: WorkerHostListener): SenseWorkerHandle {
    return new WorkerHost({
      init,
      listener,
      workerFile: this.workerFileValue,
      forker: this.forker,
      clock: this.clock,
      ...(this.options.timings === undefined ? {} : { timings: this.options.timings }),
    });
  }
}
