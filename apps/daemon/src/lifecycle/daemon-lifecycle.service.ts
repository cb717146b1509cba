import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from "@nestjs/common";
import { NERVE_VERSION } from "@nerve/core";
import { LogStore } from "@nerve/store";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelService } from "../kernel/kernel.service.js";
import { NERVE_OPTIONS, type NerveOptions } from "../kernel/nerve-options.js";
import { removePidFile, writePidFile } from "../kernel/pid-file.js";
import { writeEditorConfig } from "../sdk/editor-config.js";
import { notifySystemdReady } from "./systemd-notify.js";
import { ReflexScheduler } from "../reflex/reflex-scheduler.service.js";
import { SenseRuntime } from "../sense/sense-runtime.service.js";
import { WorkflowManager } from "../workflow/workflow-manager.service.js";

/** Computes in flight get this long to finish when the daemon stops (SPEC §8). */
export const DRAIN_GRACE_MS = 5_000;

/** Waits for `work`, at most `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Start and stop of the whole engine, in one place: the pid file and `daemon.start` row at
 * start; at shutdown, in order: no new computes (scheduler stopped), computes in flight drained
 * and their outcomes recorded, workflow workers stopped (runs stay `started`), `daemon.stop`
 * written and the log flushed, the pid file removed. The store closes after this,
 * in its own shutdown hook.
 */
@Injectable()
export class DaemonLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  private readonly writesPidFile: boolean;

  constructor(
    @Inject(NERVE_OPTIONS) options: NerveOptions,
    private readonly kernel: KernelService,
    private readonly config: ConfigService,
    private readonly logStore: LogStore,
    private readonly log: DaemonLog,
    private readonly scheduler: ReflexScheduler,
    private readonly senses: SenseRuntime,
    private readonly workflows: WorkflowManager,
  ) {
    // The pid file marks the daemon that serves this workspace's socket; an engine embedded
    // without the socket is not that daemon.
    this.writesPidFile = options.ipc !== false;
  }

  onModuleInit(): void {
    const { senses, workflows } = this.config.current;
    this.logStore.append({
      source: "daemon",
      type: "daemon.start",
      payload: { pid: process.pid, version: NERVE_VERSION, root: this.config.root },
    });
    this.log.info(
      "daemon",
      `starting (pid ${process.pid}, ${senses.length} senses, ${workflows.length} workflows) in ${this.config.root}`,
    );
    for (const warning of this.config.warnings) {
      this.log.warn("config", `${warning.path}: ${warning.message}`);
    }
    // Editors follow the Nerve that runs the workspace, wherever it was installed.
    writeEditorConfig(this.config.root);
  }

  /**
   * Called once the whole application is up (socket bound): only then is the pid file written, so
   * a daemon that failed to start never leaves one behind.
   */
  markRunning(): void {
    if (this.writesPidFile) writePidFile(this.config.root, process.pid);
    this.kernel.setState("running");
    this.log.info("daemon", "running");
    // Under a Type=notify unit (`nerve service install`), systemd waits for this.
    notifySystemdReady((message) => this.log.warn("daemon", message));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.kernel.state === "draining" || this.kernel.state === "stopped") return;
    const reason = this.kernel.shutdownReason ?? "application closed";
    this.kernel.setState("draining");
    this.log.info("daemon", `stopping (${reason})`);
    this.scheduler.stop();
    await this.senses.drain(DRAIN_GRACE_MS);
    // Outcomes of the drained computes (signals, error rows, launches) are recorded before the
    // end; a signal waits for its commit, so a log that cannot be written (a full disk) gets the
    // same grace, not forever.
    await within(this.scheduler.idle(), DRAIN_GRACE_MS);
    // Roles are aborted and workers stopped; runs in flight stay `started` for the next start.
    await this.workflows.drain();
    this.logStore.append({
      source: "daemon",
      type: "daemon.stop",
      payload: { pid: process.pid, reason },
    });
    try {
      await this.logStore.flush();
    } catch (error) {
      // A log that cannot be written (a full disk) must not keep the daemon from stopping.
      this.log.error(
        "daemon",
        `the log could not be flushed at shutdown: ${(error as Error).message}; ` +
          `${this.logStore.pendingRows} row(s) not yet written are lost`,
      );
    }
    if (this.writesPidFile) removePidFile(this.config.root, process.pid);
    this.kernel.setState("stopped");
    this.log.info("daemon", "stopped");
  }
}
