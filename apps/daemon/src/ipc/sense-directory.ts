import type { SenseInfo } from "@nerve/core";

/**
 * The senses as the IPC handlers need them: listed with live stats and triggered by hand.
 * Implemented by the reflex module's SenseRegistry (IpcModule binds it with
 * `{ provide: SenseDirectory, useExisting: SenseRegistry }`).
 */
export abstract class SenseDirectory {
  /** Every declared sense, in config order, with its live fields. */
  abstract list(): SenseInfo[];
  /**
   * Queues a manual compute of `name`, coalesced like any trigger.
   *
   * @throws UnknownSenseError (reflex/errors) when the running config declares no such sense.
   */
  abstract trigger(name: string): void;
}
