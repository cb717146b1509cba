// The entry of a sense group's worker process, forked by WorkerHost with an IPC channel
// (`serialization: "json"`). Its import graph stays small on purpose: @nerve/core's light
// entry, @nerve/store/sense-db and this folder; the log reader and blobs load on first use.
import { SenseWorker, type SendMessage } from "./sense-worker-runtime.js";
import {
  isParentMessage,
  ParentCommand,
  serializeError,
  WorkerCommand,
  type WorkerMessage,
} from "./messages.js";

/** How long a fatal report may take to reach the daemon before the worker exits anyway. */
const FATAL_REPORT_MS = 1_000;

if (process.send === undefined) {
  process.stderr.write(
    "sense-worker: this file is the worker of a Nerve sense group; the daemon forks it with an IPC channel\n",
  );
  process.exit(2);
}

const send: SendMessage = (message: WorkerMessage, done?: () => void) => {
  if (!process.connected) {
    done?.();
    return;
  }
  // A closed channel means the daemon is gone; `disconnect` below ends the process.
  process.send?.(message, undefined, {}, () => done?.());
};

const worker = new SenseWorker(send);
let exiting = false;

function exit(code: number): never {
  exiting = true;
  worker.close("the worker is exiting");
  process.exit(code);
}

/** A fatal error: report it (a Failed message without requestId), then exit 1. */
function fatal(error: unknown): void {
  if (exiting) return;
  exiting = true;
  const timer = setTimeout(() => exit(1), FATAL_REPORT_MS);
  send({ cmd: WorkerCommand.Failed, err: serializeError(error) }, () => {
    clearTimeout(timer);
    exit(1);
  });
}

process.on("message", (message: unknown) => {
  if (!isParentMessage(message)) {
    fatal(new Error(`sense-worker: unknown message from the daemon: ${JSON.stringify(message)}`));
    return;
  }
  worker.handle(message).then(
    () => {
      if (message.cmd === ParentCommand.Shutdown) exit(0);
    },
    (error: unknown) => fatal(error),
  );
});
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);
// The daemon owns this process: Ctrl-C in a terminal reaches the whole process group, and
// the daemon drains its computes before it stops the workers itself.
process.on("SIGINT", () => undefined);
// The daemon is gone (even killed): nothing can use this worker any more.
process.on("disconnect", () => exit(0));
