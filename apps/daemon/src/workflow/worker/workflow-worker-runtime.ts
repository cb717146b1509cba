import { pathToFileURL } from "node:url";
import { format } from "node:util";
import type { BlobAccess, Logger, RoleMessage, WorkflowDefinition } from "@nerve/core";
import { BlobStore } from "@nerve/store/blobs";
import { serializeError } from "../../process/serialized-error.js";
import type { SendToDaemon } from "../../process/worker-messages.js";
import { WorkflowDefinitionError } from "../errors/thread.error.js";
import { findDefinition } from "./load-definition.js";
import {
  WorkflowParentCommand,
  WorkflowWorkerCommand,
  type RoleLogLevel,
  type RunCommandValue,
  type WorkflowParentMessage,
  type WorkflowWorkerInit,
  type WorkflowWorkerMessage,
} from "./messages.js";
import { runThread } from "./thread-automaton.js";

/** Sends a message to the daemon; `done` runs once it is handed to the channel. */
export type SendWorkflowMessage = SendToDaemon<WorkflowWorkerMessage>;

interface PendingAck {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The inside of a workflow's worker process: loads the definition on Init, runs each thread it
 * is given concurrently, sends every round's message to the daemon and waits for its Ack before
 * the thread goes on.
 *
 * States: `new` → (Init) → `ready` → (Shutdown) → `closed`. Runs arrive only when ready.
 */
export class WorkflowWorker {
  private state: "new" | "ready" | "closed" = "new";
  private init: WorkflowWorkerInit | null = null;
  private definition: WorkflowDefinition | null = null;
  // One signal for every thread: it fires only when the whole worker drains.
  private readonly controller = new AbortController();
  private readonly threads = new Map<string, Promise<void>>();
  private readonly acks = new Map<number, PendingAck>();
  private nextRequestId = 1;
  private blobStore: BlobStore | null = null;

  constructor(
    private readonly send: SendWorkflowMessage,
    private readonly now: () => number = Date.now,
  ) {}

  /** Threads running now. */
  get running(): number {
    return this.threads.size;
  }

  /** Handles one message from the daemon. Never throws: failures become messages. */
  async handle(message: WorkflowParentMessage): Promise<void> {
    switch (message.cmd) {
      case WorkflowParentCommand.Init:
        return this.load(message.value);
      case WorkflowParentCommand.Run:
        this.run(message.value);
        return;
      case WorkflowParentCommand.Ack: {
        const ack = this.acks.get(message.requestId);
        this.acks.delete(message.requestId);
        ack?.resolve();
        return;
      }
      case WorkflowParentCommand.Shutdown:
        return this.shutdown(message.value.reason, message.value.graceMs);
    }
  }

  /**
   * Aborts every role in flight (their `ctx.signal`) and waits up to `graceMs` for the threads
   * to settle, so roles can clean up. Nothing more is committed after this. Idempotent.
   */
  async shutdown(reason: string, graceMs: number): Promise<void> {
    this.close(reason);
    const settled = Promise.all(this.threads.values());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      settled,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
  }

  /** Aborts every thread and stops waiting for acks. Idempotent. */
  close(reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.controller.abort(new DOMException(reason, "AbortError"));
    const error = new DOMException(reason, "AbortError");
    for (const ack of this.acks.values()) ack.reject(error);
    this.acks.clear();
  }

  private async load(init: WorkflowWorkerInit): Promise<void> {
    if (this.state !== "new") {
      const error = new Error(`worker of workflow ${init.workflow} was initialised twice`);
      this.send({ cmd: WorkflowWorkerCommand.InitFailed, err: serializeError(error) });
      return;
    }
    try {
      let exports: Record<string, unknown>;
      try {
        exports = (await import(pathToFileURL(init.module).href)) as Record<string, unknown>;
      } catch (error) {
        const { name, message } = serializeError(error);
        throw new WorkflowDefinitionError(
          init.workflow,
          init.source,
          `importing it threw ${name}: ${message}`,
          { cause: error },
        );
      }
      this.definition = findDefinition(init.workflow, init.source, exports);
    } catch (error) {
      this.send({ cmd: WorkflowWorkerCommand.InitFailed, err: serializeError(error) });
      return;
    }
    this.init = init;
    this.state = "ready";
    this.send({ cmd: WorkflowWorkerCommand.Ready });
  }

  private run({ runId, messages }: RunCommandValue): void {
    const { init, definition } = this;
    if (this.state !== "ready" || init === null || definition === null) {
      const reason = this.state === "new" ? "not initialised" : "shutting down";
      const error = new Error(`worker of workflow ${init?.workflow ?? "?"} is ${reason}`);
      const end = { status: "failed" as const, error: serializeError(error), rounds: 0 };
      this.send({ cmd: WorkflowWorkerCommand.End, value: { runId, end } });
      return;
    }
    // The daemon never sends a run twice; a duplicate would race the first for its rounds.
    if (this.threads.has(runId)) return;
    const thread = runThread(
      definition,
      { runId, workflow: init.workflow, messages },
      {
        signal: this.controller.signal,
        now: this.now,
        logger: (role, round) => this.logger(runId, role, round),
        blobs: this.blobs,
        commit: (message) => this.commit(runId, message),
      },
    ).then((end) => {
      this.threads.delete(runId);
      this.send({ cmd: WorkflowWorkerCommand.End, value: { runId, end } });
    });
    this.threads.set(runId, thread);
  }

  private commit(runId: string, message: RoleMessage): Promise<void> {
    if (this.state !== "ready") {
      return Promise.reject(new DOMException("the worker is shutting down", "AbortError"));
    }
    const requestId = this.nextRequestId++;
    return new Promise<void>((resolve, reject) => {
      this.acks.set(requestId, { resolve, reject });
      this.send({ cmd: WorkflowWorkerCommand.Message, requestId, value: { runId, message } });
    });
  }

  private logger(runId: string, role: string, round: number): Logger {
    const line =
      (level: RoleLogLevel) =>
      (message: string, ...details: unknown[]): void =>
        this.send({
          cmd: WorkflowWorkerCommand.Log,
          value: {
            runId,
            role,
            round,
            level,
            message: details.length === 0 ? String(message) : format(message, ...details),
          },
        });
    return { info: line("info"), warn: line("warn"), error: line("error") };
  }

  private readonly blobs: BlobAccess = {
    put: (data) => this.blobAccess().put(data),
    get: (hash) => this.blobAccess().get(hash),
    has: (hash) => this.blobAccess().has(hash),
  };

  private blobAccess(): BlobStore {
    this.blobStore ??= new BlobStore(this.init?.root ?? process.cwd());
    return this.blobStore;
  }
}
