// What the parent ↔ worker protocols of sense groups and workflows have in common. Imported by
// worker processes: keep its runtime free of imports.
import type { SerializedError } from "./serialized-error.js";

/**
 * Every message between the daemon and a worker: a command and, as the command needs, the
 * request it belongs to, a value or an error (each protocol's enums name the commands).
 */
export interface MessageEnvelope<TCommand extends string = string> {
  cmd: TCommand;
  requestId?: number;
  value?: unknown;
  err?: SerializedError;
}

/**
 * A type guard for the messages whose `cmd` is a value of the enum `commands`; the shape is
 * trusted beyond that (both ends are built from the same sources).
 */
export function commandGuard<T extends MessageEnvelope>(
  commands: Record<string, string>,
): (value: unknown) => value is T {
  const known = new Set<unknown>(Object.values(commands));
  return (value: unknown): value is T =>
    typeof value === "object" && value !== null && known.has((value as { cmd?: unknown }).cmd);
}

/** Sends a message to the daemon; `done` runs once it is handed to the channel. */
export type SendToDaemon<TMessage> = (message: TMessage, done?: () => void) => void;

/** The level of a `ctx.logger` line in user code. */
export type LogLevel = "info" | "warn" | "error";
