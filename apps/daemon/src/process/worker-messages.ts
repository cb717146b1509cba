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

/**
 * The command of a message that carries several messages (`value`, in order). Each end sends
 * what it has to say within one turn of its event loop as one such message: one write and one
 * parse instead of one per message, which is most of the cost of a small message.
 */
export const BATCH_COMMAND = "batch";

/** Calls `handle` with each message `message` carries: itself, or those of a batch in order. */
export function forEachMessage(message: unknown, handle: (message: unknown) => void): void {
  const batch = message as { cmd?: unknown; value?: unknown } | null;
  if (
    typeof batch === "object" &&
    batch !== null &&
    batch.cmd === BATCH_COMMAND &&
    Array.isArray(batch.value)
  ) {
    for (const item of batch.value as unknown[]) handle(item);
    return;
  }
  handle(message);
}

/**
 * The most messages one batch carries. A full batch leaves at once: the other end starts on it
 * while this end works on the rest. One batch per turn would make the daemon and a busy worker
 * take turns, each idle while the other works (measured with `npm run bench -- signal`: 16
 * carried ~30 % more signals per second than one batch per turn, 4 to 32 about as many).
 */
export const MAX_BATCH = 16;

/**
 * Collects the messages sent during one turn of the event loop and hands them to `write` at its
 * end (`process.nextTick`, after the microtasks: what a burst of settled promises sends goes
 * together), or as soon as {@link MAX_BATCH} are waiting: a single message as it is, several as
 * one batch. Order is kept.
 */
export class MessageBatcher<TMessage> {
  private queue: TMessage[] = [];
  private scheduled = false;

  constructor(
    private readonly write: (message: TMessage | { cmd: string; value: TMessage[] }) => void,
  ) {}

  /** Queues `message` for the end of this turn. */
  push(message: TMessage): void {
    this.queue.push(message);
    if (this.queue.length >= MAX_BATCH) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(this.flush);
  }

  /** Writes whatever is queued now (before a process exits, or a message that must go first). */
  readonly flush = (): void => {
    this.scheduled = false;
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    this.write(queue.length === 1 ? queue[0] : { cmd: BATCH_COMMAND, value: queue });
  };
}
