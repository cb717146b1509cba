/**
 * Starts the daemon's one way out. The kernel provides it (KernelService has this method:
 * `{ provide: ShutdownRequester, useExisting: KernelService }`); the `shutdown` request calls it
 * once its answer has been sent.
 */
export abstract class ShutdownRequester {
  /** Asks the daemon to stop gracefully; returns at once, the stop happens after. */
  abstract requestShutdown(reason: string): void;
}
