import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from "@nestjs/common";
import { EventEmitter2 } from "@nestjs/event-emitter";
import { watch, type FSWatcher } from "chokidar";
import { relative } from "node:path";
import { formatIssue } from "@nerve/core";
import { LogStore } from "@nerve/store";
import { CONFIG_FILE, ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents, type FilesChangedEvent } from "../kernel/events.js";
import {
  addToBatch,
  emptyBatch,
  isIgnored,
  type ChangeBatch,
  type FileEvent,
} from "./change-batch.js";

/** Editors write a file in several steps; events closer together than this are one change. */
export const WATCH_DEBOUNCE_MS = 150;

/**
 * Hot reload: follows nerve.yaml, senses/, workflows/ and modules/. A changed config is
 * re-validated and applied only when valid (`config.reload`), else logged (`config.error`) and the
 * running one kept; changed sense or workflow files are announced for their owners to reload.
 */
@Injectable()
export class WatchService implements OnApplicationBootstrap, OnModuleDestroy {
  private watcher: FSWatcher | null = null;
  private batch = emptyBatch();
  private timer: NodeJS.Timeout | null = null;
  private ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: ConfigService,
    private readonly events: EventEmitter2,
    private readonly log: DaemonLog,
    private readonly logStore: LogStore,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    const root = this.config.root;
    const watcher = watch(root, {
      ignoreInitial: true,
      ignored: (path: string) => isIgnored(relative(root, path)),
    });
    watcher.on("all", (event, path) => this.onEvent(event as FileEvent, relative(root, path)));
    watcher.on("error", (error) => this.log.error("watch", `file watcher: ${String(error)}`));
    this.watcher = watcher;
    this.ready = new Promise((resolve) =>
      watcher.once("ready", () => {
        // The config was read before the watcher followed the file: catch an edit in between.
        if (this.config.changedSinceRead()) this.onEvent("change", CONFIG_FILE);
        resolve();
      }),
    );
    return this.ready;
  }

  /** Resolves once the initial scan is done and changes are being followed. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
  }

  private onEvent(event: FileEvent, relativePath: string): void {
    addToBatch(this.batch, event, relativePath);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), WATCH_DEBOUNCE_MS);
  }

  private flush(): void {
    this.timer = null;
    const batch = this.batch;
    this.batch = emptyBatch();
    if (batch.config) this.reloadConfig();
    this.announce(batch, "senses");
    this.announce(batch, "workflows");
  }

  private reloadConfig(): void {
    const report = this.config.reload();
    if (report.ok) {
      this.logStore.append({
        source: "daemon",
        type: "config.reload",
        payload: { warnings: report.warnings },
      });
      this.log.info("config", `${CONFIG_FILE} reloaded`);
      return;
    }
    this.logStore.append({
      source: "daemon",
      type: "config.error",
      payload: { errors: report.errors },
    });
    this.log.error(
      "config",
      `${CONFIG_FILE} is invalid; the running config stays:\n${report.errors.map((issue) => `  ${formatIssue(issue, CONFIG_FILE)}`).join("\n")}`,
    );
  }

  private announce(batch: ChangeBatch, kind: "senses" | "workflows"): void {
    const event =
      kind === "senses" ? KernelEvents.senseFilesChanged : KernelEvents.workflowFilesChanged;
    for (const [name, paths] of batch[kind]) {
      const payload: FilesChangedEvent = { name, paths };
      this.events.emit(event, payload);
    }
  }
}
