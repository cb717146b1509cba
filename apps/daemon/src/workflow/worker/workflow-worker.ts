// The entry of a workflow's worker process, forked by WorkflowHost with an IPC channel
// (`serialization: "json"`). Its import graph stays small on purpose: @nerve/core's light
// entry, @nerve/store/blobs and this folder.
import { serializeError } from "../../process/serialized-error.js";
import { runWorkerEntry } from "../../process/worker-entry.js";
import {
  isWorkflowParentMessage,
  WorkflowParentCommand,
  WorkflowWorkerCommand,
  type WorkflowParentMessage,
  type WorkflowWorkerMessage,
} from "./messages.js";
import { WorkflowWorker } from "./workflow-worker-runtime.js";

runWorkerEntry<WorkflowParentMessage, WorkflowWorkerMessage>({
  name: "workflow-worker",
  role: "the worker of a Nerve workflow",
  isParentMessage: isWorkflowParentMessage,
  isShutdown: (message) => message.cmd === WorkflowParentCommand.Shutdown,
  fatal: (err) => ({ cmd: WorkflowWorkerCommand.Failed, err }),
  // Unlike the sense runtime's, the engine's own errors keep their own stack.
  serializeError: (error) => serializeError(error),
  create: (send) => new WorkflowWorker(send),
});
