import { err, ok, type Result } from "../result.js";
import { IpcError, isIpcErrorCode, type IpcErrorCode } from "./errors/ipc.error.js";
import { LineTooLongError } from "./errors/line-too-long.error.js";
import { describeValue, IPC_ID_EXPECTED, isIpcId, isJsonObject, type IpcId } from "./fields.js";

/** A successful answer; `result` has the shape of `ResultOf<type>` for the request's type. */
export interface IpcSuccess<R = unknown> {
  id: IpcId;
  ok: true;
  result: R;
}

/** A failed answer; `id` is `null` when the request had no usable id (bad JSON, say). */
export interface IpcFailure {
  id: IpcId | null;
  ok: false;
  error: { code: IpcErrorCode; message: string };
}

/** One line from the daemon, answering the request with the same id. */
export type IpcResponse<R = unknown> = IpcSuccess<R> | IpcFailure;

export function successResponse<R>(id: IpcId, result: R): IpcSuccess<R> {
  return { id, ok: true, result };
}

export function errorResponse(id: IpcId | null, code: IpcErrorCode, message: string): IpcFailure {
  return { id, ok: false, error: { code, message } };
}

/**
 * Turns anything a handler threw into a failed response: an {@link IpcError} keeps its code, a
 * {@link LineTooLongError} becomes `too_large`, and any other error is `internal` with its
 * message (the socket is only reachable by the workspace's owner, so nothing is hidden).
 */
export function toErrorResponse(id: IpcId | null, error: unknown): IpcFailure {
  if (error instanceof IpcError) return errorResponse(id, error.code, error.message);
  if (error instanceof LineTooLongError) return errorResponse(id, "too_large", error.message);
  if (error instanceof Error) return errorResponse(id, "internal", error.message);
  return errorResponse(id, "internal", `non-error thrown: ${describeValue(error)}`);
}

/**
 * Parses one line from the daemon into a response, checking the envelope only (`id`, `ok`,
 * `result` or `error`); the result's shape is the daemon's promise for the request's type.
 */
export function parseResponseLine(line: string): Result<IpcResponse, string> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return err(
      `response is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isJsonObject(value))
    return err(`response: expected a JSON object, got ${describeValue(value)}`);
  const id = value.id;
  if (id !== null && !isIpcId(id)) {
    return err(`response.id: expected ${IPC_ID_EXPECTED} or null, got ${describeValue(id)}`);
  }
  if (value.ok === true) {
    if (id === null) return err("response.id: a successful response needs an id, got null");
    if (!Object.hasOwn(value, "result"))
      return err("response.result: missing in a successful response");
    return ok(successResponse(id, value.result));
  }
  if (value.ok !== false)
    return err(`response.ok: expected true or false, got ${describeValue(value.ok)}`);
  const error = value.error;
  if (!isJsonObject(error))
    return err(`response.error: expected an object, got ${describeValue(error)}`);
  if (!isIpcErrorCode(error.code)) {
    return err(
      `response.error.code: expected a known error code, got ${describeValue(error.code)}`,
    );
  }
  if (typeof error.message !== "string") {
    return err(`response.error.message: expected a string, got ${describeValue(error.message)}`);
  }
  return ok(errorResponse(id, error.code, error.message));
}
