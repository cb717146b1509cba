/**
 * Error codes of the IPC protocol (SPEC §8).
 *
 * - `bad_json`: the line is not JSON.
 * - `bad_request`: JSON, but not a valid request (not an object, bad id, unknown type, missing,
 *   invalid or unknown field).
 * - `unknown_sense` / `unknown_workflow`: the named sense or workflow is not declared.
 * - `too_large`: a line over the size limit; the connection is then closed.
 * - `internal`: the daemon failed while handling a valid request.
 */
export type IpcErrorCode =
  "bad_json" | "bad_request" | "unknown_sense" | "unknown_workflow" | "too_large" | "internal";

/** Every {@link IpcErrorCode}, in the order of the SPEC. */
export const IPC_ERROR_CODES: readonly IpcErrorCode[] = [
  "bad_json",
  "bad_request",
  "unknown_sense",
  "unknown_workflow",
  "too_large",
  "internal",
];

/** True when `value` is one of {@link IPC_ERROR_CODES}. */
export function isIpcErrorCode(value: unknown): value is IpcErrorCode {
  return typeof value === "string" && (IPC_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * A failure with a protocol error code. Request handlers throw it and the server answers
 * `{ id, ok: false, error: { code, message } }`; the client rebuilds it from such an answer.
 */
export class IpcError extends Error {
  override readonly name = "IpcError";

  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** Restores the error carried by a failed response. */
  static from(error: { code: IpcErrorCode; message: string }): IpcError {
    return new IpcError(error.code, error.message);
  }
}
