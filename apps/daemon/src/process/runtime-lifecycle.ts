import type { EventEmitter2 } from "@nestjs/event-emitter";
import type { CompiledConfig } from "@nerve/core";
import { type ConfigChangedEvent, type FilesChangedEvent, KernelEvents } from "../kernel/events.js";

/**
 * The lifecycle of a runtime of supervised workers (the sense runtime, the workflow engine):
 * `new` → bootstrap() → `running` → drain() → `draining` → `stopped`.
 */
export type RuntimeState = "new" | "running" | "draining" | "stopped";

/** What a runtime does when the kernel reports changes. */
export interface RuntimeChanges {
  /** The kernel event that reports changed files of one of its units (sense, workflow). */
  filesEvent: (typeof KernelEvents)["senseFilesChanged" | "workflowFilesChanged"];
  configChanged(next: CompiledConfig): void;
  filesChanged(name: string): Promise<void>;
}

/**
 * The part of the sense runtime and the workflow engine that is the same around their
 * supervisors: the state, following config and file changes while subscribed, a bootstrap that
 * gets the worker entry ready before anything starts, and an idempotent drain.
 */
export class RuntimeLifecycle {
  private stateValue: RuntimeState = "new";
  private draining: Promise<void> | null = null;
  private readonly onConfigChanged = (event: ConfigChangedEvent): void => {
    this.changes.configChanged(event.next);
  };
  private readonly onFilesChanged = (event: FilesChangedEvent): void => {
    void this.changes.filesChanged(event.name);
  };

  constructor(
    private readonly events: EventEmitter2,
    private readonly changes: RuntimeChanges,
  ) {}

  get state(): RuntimeState {
    return this.stateValue;
  }

  /** Draining or stopped: it takes no new work and applies no more changes. */
  get closing(): boolean {
    return this.stateValue === "draining" || this.stateValue === "stopped";
  }

  /** Starts following the kernel's change events. */
  subscribe(): void {
    this.events.on(KernelEvents.configChanged, this.onConfigChanged);
    this.events.on(this.changes.filesEvent, this.onFilesChanged);
  }

  unsubscribe(): void {
    this.events.off(KernelEvents.configChanged, this.onConfigChanged);
    this.events.off(this.changes.filesEvent, this.onFilesChanged);
  }

  /**
   * Once: becomes `running`, gets the worker entry ready, then starts every supervisor there
   * is by then; resolves once each first worker is ready or failed to start.
   */
  async bootstrap(
    workers: { prepare(): Promise<void> },
    supervisors: () => Iterable<{ start(): Promise<void> }>,
  ): Promise<void> {
    if (this.stateValue !== "new") return;
    this.stateValue = "running";
    await workers.prepare();
    await Promise.all([...supervisors()].map((supervisor) => supervisor.start()));
  }

  /** Becomes `draining`, runs `stop` once and becomes `stopped`. Idempotent. */
  drain(stop: () => Promise<void>): Promise<void> {
    this.draining ??= this.drainNow(stop);
    return this.draining;
  }

  private async drainNow(stop: () => Promise<void>): Promise<void> {
    this.stateValue = "draining";
    await stop();
    this.stateValue = "stopped";
  }
}
