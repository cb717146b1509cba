import { Inject, Injectable, Optional } from "@nestjs/common";
import { Clock } from "../kernel/clock.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { ProcessForker } from "../sense/process-forker.js";
import { WorkflowCompiler } from "./workflow-compiler.js";
import { WORKFLOW_ENGINE_OPTIONS, type WorkflowEngineOptions } from "./workflow-engine.options.js";
import { WorkflowHost } from "./workflow-host.js";
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
  private workerFileValue: string;

  constructor(
    private readonly forker: ProcessForker,
    private readonly clock: Clock,
    private readonly compiler: WorkflowCompiler,
    private readonly daemonLog: DaemonLog,
    @Optional()
    @Inject(WORKFLOW_ENGINE_OPTIONS)
    private readonly options: WorkflowEngineOptions = {},
  ) {
    super();
    this.workerFileValue = options.workerFile ?? workflowWorkerFile();
  }

  /** The file workers run. */
  get workerFile(): string {
    return this.workerFileValue;
  }

  async prepare(): Promise<void> {
    if (this.options.workerFile !== undefined) return;
    const entry = workflowWorkerFile();
    try {
      this.workerFileValue = (await this.compiler.bundleWorker(entry)).file;
    } catch (error) {
      this.daemonLog.warn(
        "workflow",
        `could not bundle the workflow worker (${(error as Error).message}); workers run ${entry}`,
      );
    }
  }

  create(init: WorkflowWorkerInit, listener: WorkflowHostListener): WorkflowWorkerHandle {
    return new WorkflowHost({
      init,
      listener,
      workerFile: this.workerFileValue,
      forker: this.forker,
      clock: this.clock,
      ...(this.options.timings === undefined ? {} : { timings: this.options.timings }),
    });
  }
}
