import { Module } from "@nestjs/common";
import { ProcessForker } from "../process/process-forker.js";
import { SenseCompiler } from "./sense-compiler.js";
import { SenseReporter } from "./sense-reporter.js";
import { SenseRuntime } from "./sense-runtime.service.js";
import { SenseExecutor } from "./sense-runtime.types.js";
import { WorkerHostFactory } from "./worker-host.factory.js";
import { SenseWorkerFactory } from "./worker-host.types.js";

/**
 * The sense runtime: worker processes per sense group. Needs the kernel's ConfigService,
 * DaemonLog, Clock, NERVE_OPTIONS and EventEmitter2, and the store's LogStore (all global);
 * SENSE_RUNTIME_OPTIONS may be provided to tune timings.
 */
@Module({
  providers: [
    ProcessForker,
    SenseCompiler,
    SenseReporter,
    { provide: SenseWorkerFactory, useClass: WorkerHostFactory },
    SenseRuntime,
    { provide: SenseExecutor, useExisting: SenseRuntime },
  ],
  exports: [SenseRuntime, SenseExecutor, SenseCompiler],
})
export class SenseModule {}
