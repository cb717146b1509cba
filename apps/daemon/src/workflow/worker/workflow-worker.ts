// The entry of a workflow's worker process, forked by WorkflowHost with an IPC channel
// (`serialization: "json"`). Its import graph stays small on purpose: @nerve/core's light
// entry, @nerve/store/blobs and this folder.
import { serializeError } from "../../sense/worker/messages.js";
import {
  isWorkflowParentMessage,
  WorkflowParentCommand,
  WorkflowWorkerCommand,
  type WorkflowWorkerMessage,
} from "./messages.js";
import { WorkflowWorker, type SendWorkflowMessage } from "./workflow-worker-runtime.js";

/** How long a fatal report may take to reach the daemon before the worker exits anyway. */
const FATAL_REPORT_MS = 1_000;

if (process.send === undefined) {
  process.stderr.write(
    "workflow-worker: this file is the worker of a Nerve workflow; the daemon forks it with an IPC channel\n",
  );
  process.exit(2);
}

const send: SendWorkflowMessage = (message: WorkflowWorkerMessage, done?: () => void) => {
  if (!process.connected) {
    done?.();
    return;
  }
  // A closed channel means the daemon is gone; `disconnect` below ends the process.
  process.send?.(message, undefined, {}, () => done?.());
};

const worker = new WorkflowWorker(send);
let exiting = false;

function exit(code: number): never {
  exiting = true;
  worker.close("the worker is exiting");
  process.exit(code);
}

/** A fatal error: report it (a Failed message), then exit 1. */
function fatal(error: unknown): void {
  if (exiting) return;
  exiting = true;
  const timer = setTimeout(() => exit(1), FATAL_REPORT_MS);
  send({ cmd: WorkflowWorkerCommand.Failed, err: serializeError(error) }, () => {
    clearTimeout(timer);
    exit(1);
  });
}

process.on("message", (message: unknown) => {
  if (!isWorkflowParentMessage(message)) {
    fatal(
      new Error(`workflow-worker: unknown message from the daemon: ${JSON.stringify(message)}`),
    );
    return;
  }
  worker.handle(message).then(
    () => {
      if (message.cmd === WorkflowParentCommand.Shutdown) exit(0);
    },
    (error: unknown) => fatal(error),
  );
});
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);
// The daemon owns this process: Ctrl-C in a terminal reaches the whole process group, and the
// daemon stops its workers itself.
process.on("SIGINT", () => undefined);
// The daemon is gone (even killed): nothing can use this worker any more.
process.on("disconnect", () => exit(0));
