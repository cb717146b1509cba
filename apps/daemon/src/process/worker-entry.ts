// The bootstrap shared by the entry files of worker processes. Workers import it: keep its
// runtime free of imports.
import type { SerializedError } from "./serialized-error.js";
import {
  forEachMessage,
  MessageBatcher,
  sendingTogether,
  type SendToDaemon,
} from "./worker-messages.js";

/** How long a fatal report may take to reach the daemon before the worker exits anyway. */
const FATAL_REPORT_MS = 1_000;

/** The inside of a worker process, as its entry drives it. */
export interface WorkerRuntime<TParentMessage> {
  /**
   * Handles one message from the daemon, returning a promise when the work goes on after it
   * returns; a throw or a rejection is a fatal error.
   */
  handle(message: TParentMessage): Promise<void> | undefined;
  /** Lets go of what it holds: the process exits right after. */
  close(reason: string): void;
}

/** What makes a worker process of one kind (sense group, workflow). */
export interface WorkerEntry<TParentMessage, TWorkerMessage> {
  /** How the worker names itself in its messages, e.g. `sense-worker`. */
  name: string;
  /** What the file is, for someone who runs it by hand, e.g. `the worker of a Nerve sense group`. */
  role: string;
  isParentMessage(value: unknown): value is TParentMessage;
  /** Whether the process exits once this message is handled. */
  isShutdown(message: TParentMessage): boolean;
  /** The message that reports a fatal error before the worker exits 1. */
  fatal(err: SerializedError): TWorkerMessage;
  serializeError(error: unknown): SerializedError;
  create(send: SendToDaemon<TWorkerMessage>): WorkerRuntime<TParentMessage>;
}

/**
 * Runs this process as a worker forked by the daemon with an IPC channel (`serialization:
 * "json"`): hands every message from the daemon to the runtime, reports a fatal error (an
 * unknown message, an uncaught exception, a rejected handling) with a `failed` message and exits
 * 1, exits 0 after a shutdown, and exits as soon as the daemon is gone.
 */
export function runWorkerEntry<TParentMessage, TWorkerMessage>(
  entry: WorkerEntry<TParentMessage, TWorkerMessage>,
): void {
  if (process.send === undefined) {
    process.stderr.write(
      `${entry.name}: this file is ${entry.role}; the daemon forks it with an IPC channel\n`,
    );
    process.exit(2);
  }

  // A closed channel means the daemon is gone; `disconnect` below ends the process.
  const outbox = new MessageBatcher<unknown>((message) => {
    if (process.connected) process.send?.(message, undefined, {}, () => undefined);
  });
  const send: SendToDaemon<TWorkerMessage> = (message, done) => {
    if (done === undefined) {
      outbox.push(message);
      return;
    }
    // Whoever waits for the message to leave (a fatal report) gets it sent now, after the rest.
    outbox.flush();
    if (!process.connected) {
      done();
      return;
    }
    process.send?.(message, undefined, {}, () => done());
  };

  const worker = entry.create(send);
  let exiting = false;

  const exit = (code: number): never => {
    exiting = true;
    worker.close("the worker is exiting");
    outbox.flush();
    process.exit(code);
  };

  const fatal = (error: unknown): void => {
    if (exiting) return;
    exiting = true;
    const timer = setTimeout(() => exit(1), FATAL_REPORT_MS);
    send(entry.fatal(entry.serializeError(error)), () => {
      clearTimeout(timer);
      exit(1);
    });
  };

  // What the messages of one batch make the worker send in that task (the answers of the
  // computes of a tick) leaves as one batch, as the daemon sent them.
  process.on("message", (received: unknown) =>
    sendingTogether(() => forEachMessage(received, handle)),
  );
  function handle(message: unknown): void {
    if (!entry.isParentMessage(message)) {
      fatal(
        new Error(`${entry.name}: unknown message from the daemon: ${JSON.stringify(message)}`),
      );
      return;
    }
    let working: Promise<void> | undefined;
    try {
      working = worker.handle(message);
    } catch (error) {
      fatal(error);
      return;
    }
    if (working === undefined) {
      if (entry.isShutdown(message)) exit(0);
      return;
    }
    working.then(
      () => {
        if (entry.isShutdown(message)) exit(0);
      },
      (error: unknown) => fatal(error),
    );
  }
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
  // The daemon owns this process: Ctrl-C in a terminal reaches the whole process group, and the
  // daemon drains and stops its workers itself.
  process.on("SIGINT", () => undefined);
  // The daemon is gone (even killed): nothing can use this worker any more.
  process.on("disconnect", () => exit(0));
}
