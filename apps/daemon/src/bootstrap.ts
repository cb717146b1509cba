import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import type { INestApplicationContext } from "@nestjs/common";
import { DaemonLog } from "./kernel/daemon-log.js";
import { KernelService } from "./kernel/kernel.service.js";
import type { NerveOptions } from "./kernel/nerve-options.js";
import { DaemonLifecycle } from "./lifecycle/daemon-lifecycle.service.js";
import { NerveModule } from "./nerve.module.js";

/** A started engine and the way to stop it. */
export interface RunningDaemon {
  app: INestApplicationContext;
  /** Resolves once a shutdown was requested (signal, `shutdown` request, `stop()`) and done. */
  stopped: Promise<string>;
  stop(reason?: string): Promise<string>;
}

/**
 * Starts the engine for a workspace. With `handleSignals`, SIGINT and SIGTERM request the same
 * graceful shutdown as the `shutdown` request; everything goes through KernelService.
 */
export async function startDaemon(
  options: NerveOptions,
  { handleSignals = false }: { handleSignals?: boolean } = {},
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
