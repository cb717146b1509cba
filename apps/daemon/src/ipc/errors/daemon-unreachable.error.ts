/**
 * No daemon answers on the socket: the file is missing, or nothing listens on it any more
 * (`ENOENT`, `ECONNREFUSED`). The CLI maps it to exit code 3.
 */
export class DaemonUnreachableError extends Error {
  override readonly name = "DaemonUnreachableError";

  constructor(
    /** The socket path that was tried. */
    readonly path: string,
    /** The system error code: `ENOENT` or `ECONNREFUSED`. */
    readonly code: string,
  ) {
    super(
      code === "ENOENT"
        ? `no daemon is listening: the socket ${path} does not exist`
        : `no daemon is listening on ${path}: the connection was refused (${code})`,
    );
  }
}
