import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import type { INestApplicationContext } from "@nestjs/common";
import { DaemonLog } from "./kernel/daemon-log.js";
import { KernelService } from "./kernel/kernel.service.js";
import { NestLogger } from "./kernel/nest-logger.js";
import { ensurePrivateData } from "./kernel/workspace-permissions.js";
import { DaemonLifecycle } from "./lifecycle/daemon-lifecycle.service.js";
import { NerveModule, type NerveModuleOptions } from "./nerve.module.js";

/** A started engine and the way to stop it. */
export interface RunningDaemon {
  app: INestApplicationContext;
  /** Resolves once a shutdown was requested (signal, `shutdown` request, `stop()`) and done. */
  stopped: Promise<string>;
  /** Requests the graceful shutdown and resolves with its reason once it is done. */
  stop(reason?: string): Promise<string>;
}

/** How {@link startDaemon} hosts the engine in this process. */
export interface StartDaemonOptions {
  /** SIGINT and SIGTERM request the graceful shutdown (default false). */
  handleSignals?: boolean;
}

/**
 * Starts the engine for a workspace in this process, as the daemon and `nerve dev` do, unless
 * its `data/` folder is open to other users (UnsafeWorkspaceError). With
 * `handleSignals`, SIGINT and SIGTERM request the same graceful shutdown as the `shutdown`
 * request; everything goes through KernelService. User modules listed in nerve.yaml close
 * first, while the engine still runs.
 *
 * @example
 * const daemon = await startDaemon({ root: "./ws", ipc: false });
 * await daemon.stop();
 */
export async function startDaemon(
  options: NerveModuleOptions,
  { handleSignals = false }: StartDaemonOptions = {},
): Promise<RunningDaemon> {
  ensurePrivateData(options.root);
  const app = await NestFactory.createApplicationContext(NerveModule.forRoot(options), {
    logger: ["error", "warn"],
    abortOnError: false,
    // Nest's lines wait for the daemon log. A start that fails is told once, by its caller
    // (`nerve daemon: <reason>`), not also as Nest's coloured exception dump with a stack.
    bufferLogs: true,
    autoFlushLogs: false,
  });
  app.useLogger(new NestLogger(app.get(DaemonLog)));
  app.flushLogs();
  const kernel = app.get(KernelService);
  const onSignal = (signal: NodeJS.Signals) => kernel.requestShutdown(signal);
  if (handleSignals) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  app.get(DaemonLifecycle).markRunning();
  const stopped = kernel.shutdownRequested.then(async (reason) => {
    try {
      await app.close();
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    return reason;
  });
  return {
    app,
    stopped,
    stop(reason = "stop") {
      kernel.requestShutdown(reason);
      return stopped;
    },
  };
}
