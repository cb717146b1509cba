import type { ThreadMessage } from "@nerve/core";
import { ForkedWorkerHost } from "../process/forked-worker-host.js";
import {
  DEFAULT_FORKED_WORKER_TIMINGS,
  type ForkedWorkerOptions,
  type ForkedWorkerState,
  type ForkedWorkerTimings,
  type ProcessExit,
} from "../process/forked-worker.types.js";
import { WorkflowWorkerInitError } from "./errors/worker.error.js";
import type {
  WorkflowHostListener,
  WorkflowWorkerExit,
  WorkflowWorkerHandle,
} from "./workflow-host.types.js";
import {
  isWorkflowWorkerMessage,
  WorkflowParentCommand,
  WorkflowWorkerCommand,
  type WorkflowParentMessage,
  type WorkflowWorkerInit,
  type WorkflowWorkerMessage,
} from "./worker/messages.js";

/** Timings of a workflow worker host. */
export interface WorkflowHostTimings extends ForkedWorkerTimings {
  /** After Shutdown, how long roles may take to settle before the worker exits. Default 1 s. */
  shutdownGraceMs: number;
}

export const DEFAULT_WORKFLOW_HOST_TIMINGS: WorkflowHostTimings = {
  ...DEFAULT_FORKED_WORKER_TIMINGS,
  shutdownGraceMs: 1_000,
};

export interface WorkflowHostOptions extends ForkedWorkerOptions {
  init: WorkflowWorkerInit;
  listener: WorkflowHostListener;
  timings?: Partial<WorkflowHostTimings>;
}

/** The lifecycle of a workflow worker host (see ForkedWorkerState). */
export type WorkflowHostState = ForkedWorkerState;

/**
 * One forked worker process of a workflow (the fork, handshake and stop are
 * ForkedWorkerHost's): the run / message / ack exchange. It keeps no run state: its owner
 * (WorkflowSupervisor) knows which runs it gave to which worker. A host whose init failed is
 * never reused.
 */
export class WorkflowHost
  extends ForkedWorkerHost<WorkflowParentMessage, void, WorkflowWorkerExit>
  implements WorkflowWorkerHandle
{
  readonly workflow: string;
  private readonly timings: WorkflowHostTimings;

  constructor(private readonly options: WorkflowHostOptions) {
    const timings = { ...DEFAULT_WORKFLOW_HOST_TIMINGS, ...options.timings };
    super(options, timings);
    this.workflow = options.init.workflow;
    this.timings = timings;
  }

  run(runId: string, messages: ThreadMessage[]): void {
    this.send({ cmd: WorkflowParentCommand.Run, value: { runId, messages } });
  }

  ack(requestId: number): void {
    this.send({ cmd: WorkflowParentCommand.Ack, requestId });
  }

  protected initMessage(): WorkflowParentMessage {
    return { cmd: WorkflowParentCommand.Init, value: this.options.init };
  }

  protected receive(message: unknown): void {
    if (isWorkflowWorkerMessage(message)) this.handle(message);
  }

  /** Roles get `shutdownGraceMs` to settle; SIGTERM follows no sooner. */
  protected requestShutdown(reason: string): number {
    const graceMs = this.timings.shutdownGraceMs;
    this.send({ cmd: WorkflowParentCommand.Shutdown, value: { reason, graceMs } });
    return Math.max(this.timings.stopGraceMs, graceMs);
  }

  /** A failed init the worker reports means the definition itself is at fault. */
  protected startError(reason: string, reportedByWorker: boolean): Error {
    return new WorkflowWorkerInitError(this.workflow, reason, reportedByWorker);
  }

  protected describeExit(exit: ProcessExit): WorkflowWorkerExit {
    const reason = exit.initFailed ? "init-failed" : exit.stopped ? "stopped" : "exited";
    const { pid, code, signal, fatal, uptimeMs } = exit;
    return { workflow: this.workflow, pid, code, signal, reason, fatal, uptimeMs };
  }

  private handle(message: WorkflowWorkerMessage): void {
    const { listener } = this.options;
    switch (message.cmd) {
      case WorkflowWorkerCommand.Ready:
        this.markReady();
        return;
      case WorkflowWorkerCommand.InitFailed:
        this.failInit(message.err.message, true);
        return;
      case WorkflowWorkerCommand.Message:
        listener.message(message.value.runId, message.requestId, message.value.message);
        return;
      case WorkflowWorkerCommand.End:
        listener.end(message.value.runId, message.value.end);
        return;
      case WorkflowWorkerCommand.Log:
        listener.log(message.value);
        return;
      case WorkflowWorkerCommand.Failed:
        this.fatal = message.err;
        return;
    }
  }
}
