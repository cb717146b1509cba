/** Connecting to the daemon's socket failed for a reason other than "nobody listens" (EACCES…). */
export class DaemonConnectionError extends Error {
  override readonly name = "DaemonConnectionError";

  constructor(
    readonly path: string,
    cause: Error,
  ) {
    super(`cannot connect to the daemon on ${path}: ${cause.message}`, { cause });
  }
}

/** The connection ended before the daemon answered a request. */
export class DaemonDisconnectedError extends Error {
  override readonly name = "DaemonDisconnectedError";

  constructor(
    readonly path: string,
    /** The request left without an answer, e.g. `trigger-sense #3`. */
    readonly request: string,
  ) {
    super(`the daemon on ${path} closed the connection before answering ${request}`);
  }
}

/** No answer arrived within the request's timeout; a late answer is ignored. */
export class IpcTimeoutError extends Error {
  override readonly name = "IpcTimeoutError";

  constructor(
    readonly path: string,
    readonly request: string,
    readonly timeoutMs: number,
  ) {
    super(`the daemon on ${path} did not answer ${request} within ${timeoutMs} ms`);
  }
}

/** The client was used in a way its state does not allow (a request after `close()`). */
export class ClientStateError extends Error {
  override readonly name = "ClientStateError";
}

/** The daemon sent something that is not a valid answer; the connection is dropped. */
export class IpcProtocolError extends Error {
  override readonly name = "IpcProtocolError";

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`the daemon on ${path} broke the protocol: ${reason}`);
  }
}
