import { Inject, Injectable, Optional } from "@nestjs/common";
import { Clock } from "../kernel/clock.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { ForkSetup } from "../process/fork-setup.js";
import { ProcessForker } from "../process/process-forker.js";
import { SenseCompiler } from "./sense-compiler.js";
import { SENSE_RUNTIME_OPTIONS, type SenseRuntimeOptions } from "./sense-runtime.options.js";
import { WorkerHost } from "./worker-host.js";
import {
  SenseWorkerFactory,
  type SenseWorkerHandle,
  type WorkerHostListener,
  type WorkerHostTimings,
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
  private readonly setup: ForkSetup<WorkerHostTimings>;

  constructor(
    forker: ProcessForker,
    clock: Clock,
    compiler: SenseCompiler,
    daemonLog: DaemonLog,
    @Optional() @Inject(SENSE_RUNTIME_OPTIONS) options: SenseRuntimeOptions = {},
  ) {
    super();
    this.setup = new ForkSetup({
      forker,
      clock,
      timings: options.timings,
      entry: senseWorkerFile(),
      override: options.workerFile,
      what: "sense worker",
      bundle: (entry) => compiler.bundleWorker(entry),
      warn: (message) => daemonLog.warn("sense-runtime", message),
    });
  }

  /** The file workers run. */
  get workerFile(): string {
    return this.setup.workerFile;
  }

  prepare(): Promise<void> {
    return this.setup.prepare();
  }

  create(init: WorkerInit, listener: WorkerHostListener): SenseWorkerHandle {
    return new WorkerHost({ init, listener, ...this.setup.hostOptions() });
  }
}
