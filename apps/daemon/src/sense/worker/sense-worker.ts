// The entry of a sense group's worker process, forked by WorkerHost with an IPC channel
// (`serialization: "json"`). Its import graph stays small on purpose: @nerve/core's light
// entry, @nerve/store/sense-db and this folder; the log reader and blobs load on first use.
import { runWorkerEntry } from "../../process/worker-entry.js";
import { SenseWorker } from "./sense-worker-runtime.js";
import {
  isParentMessage,
  ParentCommand,
  serializeError,
  WorkerCommand,
  type ParentMessage,
  type WorkerMessage,
} from "./messages.js";

runWorkerEntry<ParentMessage, WorkerMessage>({
  name: "sense-worker",
  role: "the worker of a Nerve sense group",
  isParentMessage,
  isShutdown: (message) => message.cmd === ParentCommand.Shutdown,
  // A Failed message without requestId: the worker hit a fatal error and exits.
  fatal: (err) => ({ cmd: WorkerCommand.Failed, err }),
  serializeError,
  create: (send) => new SenseWorker(send),
});
