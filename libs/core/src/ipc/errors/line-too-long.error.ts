/**
 * A line on the socket grew past the size limit (see `LineDecoder`).
 *
 * The server answers `too_large` and closes the connection. `lines` holds the complete lines
 * that came before the offending one in the same chunk, so they can still be answered in order.
 */
export class LineTooLongError extends Error {
  override readonly name = "LineTooLongError";

  constructor(
    /** Bytes of the line seen so far (the whole line when its newline had arrived). */
    readonly bytes: number,
    /** The limit, in bytes, not counting the newline. */
    readonly limitBytes: number,
    /** Complete lines decoded before the offending one by the same `push`. */
    readonly lines: readonly string[],
    complete: boolean,
  ) {
    super(
      complete
        ? `line of ${bytes} bytes exceeds the limit of ${limitBytes} bytes`
        : `line exceeds the limit of ${limitBytes} bytes (${bytes} bytes without a newline so far)`,
    );
  }
}
