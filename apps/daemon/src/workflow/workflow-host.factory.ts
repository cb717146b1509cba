import { Inject, Injectable, Optional } from "@nestjs/common";
import { Clock } from "../kernel/clock.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { ForkSetup } from "../process/fork-setup.js";
import { ProcessForker } from "../process/process-forker.js";
import { WorkflowCompiler } from "./workflow-compiler.js";
import { WORKFLOW_ENGINE_OPTIONS, type WorkflowEngineOptions } from "./workflow-engine.options.js";
import { WorkflowHost, type WorkflowHostTimings } from "./workflow-host.js";
import {
  WorkflowWorkerFactory,
  type WorkflowHostListener,
  type WorkflowWorkerHandle,
} from "./workflow-host.types.js";
import { workflowWorkerFile } from "./workflow-worker-file.js";
import type { WorkflowWorkerInit } from "./worker/messages.js";

/**
 * Creates real forked workflow workers (WorkflowHost). They run the worker entry bundled into
 * one file (see WorkflowCompiler.bundleWorker), or the built entry itself when bundling fails
 * or `WorkflowEngineOptions.workerFile` names a file.
 */
@Injectable()
export class WorkflowHostFactory extends WorkflowWorkerFactory {
  private readonly setup: ForkSetup<WorkflowHostTimings>;

  constructor(
    forker: ProcessForker,
    clock: Clock,
    compiler: WorkflowCompiler,
    daemonLog: DaemonLog,
    @Optional() @Inject(WORKFLOW_ENGINE_OPTIONS) options: WorkflowEngineOptions = {},
  ) {
    super();
    this.setup = new ForkSetup({
      forker,
      clock,
      timings: options.timings,
      entry: workflowWorkerFile(),
      override: options.workerFile,
      what: "workflow worker",
      bundle: (entry) => compiler.bundleWorker(entry),
      warn: (message) => daemonLog.warn("workflow", message),
    });
  }

  /** The file workers run. */
  get workerFile(): string {
    return this.setup.workerFile;
  }

  prepare(): Promise<void> {
    return this.setup.prepare();
  }

  create(init: WorkflowWorkerInit, listener: WorkflowHostListener): WorkflowWorkerHandle {
    return new WorkflowHost({ init, listener, ...this.setup.hostOptions() });
  }
}
