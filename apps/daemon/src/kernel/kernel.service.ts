import { Inject, Injectable } from "@nestjs/common";
import { Clock } from "./clock.js";
import { NERVE_OPTIONS, type NerveOptions } from "./nerve-options.js";

/**
 * Lifecycle of the engine:
 * ```
 * starting ──(bootstrap done)──► running ──(shutdown requested)──► draining ──► stopped
 * ```
 * `draining`: no new computes or runs start; work in flight gets its grace; the log is flushed.
 */
export type DaemonState = "starting" | "running" | "draining" | "stopped";

/**
 * The engine's state and its single way out: SIGINT, SIGTERM and the `shutdown` request all call
 * `requestShutdown`, and whoever owns the application (the daemon's main, `nerve dev`, an
 * embedding app) awaits `shutdownRequested` and closes it.
 */
@Injectable()
export class KernelService {
  private current: DaemonState = "starting";
  private reason: string | null = null;
  private resolveShutdown!: (reason: string) => void;
  readonly startedAt: number;
  readonly root: string;
  /** Resolves with the reason once a shutdown has been requested. */
  readonly shutdownRequested: Promise<string>;

  constructor(clock: Clock, @Inject(NERVE_OPTIONS) options: NerveOptions) {
    this.startedAt = clock.now();
    this.root = options.root;
    this.shutdownRequested = new Promise((resolve) => (this.resolveShutdown = resolve));
  }

  get state(): DaemonState {
    return this.current;
  }

  /** True while new work may start. */
  get accepting(): boolean {
    return this.current === "starting" || this.current === "running";
  }

  setState(state: DaemonState): void {
    this.current = state;
  }

  /** Why the engine stops (the first request wins), or null while none was made. */
  get shutdownReason(): string | null {
    return this.reason;
  }

  requestShutdown(reason: string): void {
    this.reason ??= reason;
    this.resolveShutdown(this.reason);
  }
}
