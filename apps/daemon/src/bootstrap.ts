import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import type { INestApplicationContext } from "@nestjs/common";
import { DaemonLog } from "./kernel/daemon-log.js";
import { KernelService } from "./kernel/kernel.service.js";
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
 * Starts the engine for a workspace in this process, as the daemon and `nerve dev` do. With
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
  const app = await NestFactory.createApplicationContext(NerveModule.forRoot(options), {
    logger: ["error", "warn"],
    abortOnError: false,
  });
  app.useLogger(app.get(DaemonLog));
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
