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

/** Depth of {@link sendingTogether} calls in progress: while above 0, full batches wait. */
let togetherDepth = 0;

/**
 * Runs `work` with the {@link MAX_BATCH} rule suspended: whatever it sends to a worker leaves at
 * the end of the task as ONE batch per worker, however many messages that is. For a burst the
 * daemon makes in one go — the senses of a tick — where a write in the middle would wake a worker
 * that then takes the CPU from the rest of the burst (two cores, twenty workers).
 */
export function sendingTogether(work: () => void): void {
  togetherDepth += 1;
  try {
    work();
  } finally {
    togetherDepth -= 1;
  }
}

/**
 * Collects messages and hands them to `write` as one: a single message as it is, several as a
 * batch, in order, at most {@link MAX_BATCH} (a full batch leaves at once).
 *
 * The first batch of a loop iteration leaves at the end of the task that queued it
 * (`process.nextTick`, after its microtasks: what a burst of settled promises sends goes
 * together, with no delay for a lone request). Later ones wait for the end of the iteration
 * (`setImmediate`): timers that fire together — a thousand senses on the same interval — each
 * run as a task of their own, and would otherwise send a message each.
 */
export class MessageBatcher<TMessage> {
  private queue: TMessage[] = [];
  private scheduled = false;
  /** A batch left at the end of a task in this loop iteration: later ones wait for its end. */
  private wroteThisIteration = false;

  constructor(
    private readonly write: (message: TMessage | { cmd: string; value: TMessage[] }) => void,
  ) {}

  /** Queues `message` for the end of this task, or of this loop iteration (see the class). */
  push(message: TMessage): void {
    this.queue.push(message);
    if (this.queue.length >= MAX_BATCH && togetherDepth === 0) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.wroteThisIteration) setImmediate(this.flush);
    else process.nextTick(this.flushTask);
  }

  /** Writes whatever is queued now (before a process exits, or a message that must go first). */
  readonly flush = (): void => {
    this.scheduled = false;
    const queue = this.queue;
    if (queue.length === 0) return;
    this.queue = [];
    this.write(queue.length === 1 ? queue[0] : { cmd: BATCH_COMMAND, value: queue });
  };

  private readonly flushTask = (): void => {
    this.flush();
    if (this.wroteThisIteration) return;
    this.wroteThisIteration = true;
    setImmediate(this.endIteration);
  };

  private readonly endIteration = (): void => {
    this.wroteThisIteration = false;
  };
}
