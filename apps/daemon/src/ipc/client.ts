// The light entry for the CLI: the client and what it throws, nothing of the engine.
export {
  ClientUnix,
  type ClientUnixEvents,
  type ClientUnixOptions,
  type ClientUnixStatus,
  type RequestOptions,
} from "./client-unix.js";
export {
  ClientStateError,
  DaemonConnectionError,
  DaemonDisconnectedError,
  IpcProtocolError,
  IpcTimeoutError,
} from "./errors/client-connection.error.js";
export { DaemonUnreachableError } from "./errors/daemon-unreachable.error.js";
export { canonicalRoot, daemonSocketPath } from "./socket-location.js";
