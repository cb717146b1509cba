/** The socket path is longer than the operating system lets a Unix socket be bound to. */
export class SocketPathTooLongError extends Error {
  override readonly name = "SocketPathTooLongError";

  constructor(
    readonly path: string,
    readonly bytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `cannot listen on ${path}: the path is ${bytes} bytes and a Unix socket path may have at ` +
        `most ${limitBytes} on ${process.platform}; set TMPDIR to a shorter directory`,
    );
  }
}

/** Something that is not a socket sits where the socket goes; it is never removed. */
export class SocketPathOccupiedError extends Error {
  override readonly name = "SocketPathOccupiedError";

  constructor(
    readonly path: string,
    readonly found: string,
  ) {
    super(
      `cannot listen on ${path}: a ${found} is there, expected a stale socket or nothing; ` +
        `move it away and start again`,
    );
  }
}

/**
 * The per-user directory of fallback sockets cannot be trusted: not a directory, or owned by
 * someone else (who could then read or replace the socket).
 */
export class UnsafeSocketDirectoryError extends Error {
  override readonly name = "UnsafeSocketDirectoryError";

  constructor(
    readonly directory: string,
    reason: string,
  ) {
    super(
      `cannot use ${directory} for the daemon's socket: ${reason}; expected a directory owned ` +
        `by the current user with mode 0700`,
    );
  }
}

/** A live process answers on the socket path: the workspace already has a daemon. */
export class AnotherDaemonListeningError extends Error {
  override readonly name = "AnotherDaemonListeningError";

  constructor(readonly path: string) {
    super(`another daemon is listening on ${path}`);
  }
}
