export * from "./client.js";
export {
  AnotherDaemonListeningError,
  SocketPathOccupiedError,
  SocketPathTooLongError,
  UnsafeSocketDirectoryError,
} from "./errors/socket-file.error.js";
export { ServerStateError } from "./errors/server-state.error.js";
export { HealthHandler } from "./handlers/handle-health.js";
export { ListSensesHandler } from "./handlers/handle-list-senses.js";
export { SHUTDOWN_REASON, ShutdownHandler } from "./handlers/handle-shutdown.js";
export { TriggerSenseHandler } from "./handlers/handle-trigger-sense.js";
export { TriggerWorkflowHandler } from "./handlers/handle-trigger-workflow.js";
export {
  IPC_HANDLERS,
  registerHandlers,
  type IpcHandlerMap,
  type IpcRequestHandler,
} from "./ipc-handler.js";
export { IpcModule } from "./ipc.module.js";
export { SenseDirectory } from "./sense-directory.js";
export {
  ServerUnix,
  UNIX_TRANSPORT,
  type IpcLog,
  type ServerUnixEvents,
  type ServerUnixOptions,
  type UnixServerState,
} from "./server-unix.js";
export { ShutdownRequester } from "./shutdown-requester.js";
export { MAX_BIND_PATH_BYTES } from "./socket-file.js";
export { UnixContext } from "./unix-context.js";
