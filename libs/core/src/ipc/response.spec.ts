import { describe, expect, it } from "vitest";
import { IPC_ERROR_CODES, IpcError, isIpcErrorCode } from "./errors/ipc.error.js";
import { LineTooLongError } from "./errors/line-too-long.error.js";
import {
  errorResponse,
  parseResponseLine,
  successResponse,
  toErrorResponse,
  type IpcResponse,
} from "./response.js";

describe(toErrorResponse.name, () => {
  it.each(IPC_ERROR_CODES)("keeps the code %s of an IpcError", (code) => {
    expect(toErrorResponse(7, new IpcError(code, "why"))).toEqual({
      id: 7,
      ok: false,
      error: { code, message: "why" },
    });
  });

  it("answers a line that is too long with too_large", () => {
    const error = new LineTooLongError(2_000_000, 1_048_576, [], false);
    expect(toErrorResponse(null, error)).toEqual({
      id: null,
      ok: false,
      error: {
        code: "too_large",
        message: "line exceeds the limit of 1048576 bytes (2000000 bytes without a newline so far)",
      },
    });
  });

  it("answers any other error as internal with its message", () => {
    expect(toErrorResponse("a", new TypeError("db closed"))).toEqual({
      id: "a",
      ok: false,
      error: { code: "internal", message: "db closed" },
    });
  });

  it("answers a thrown non-error as internal, naming it", () => {
    expect(toErrorResponse(1, "oops").error).toEqual({
      code: "internal",
      message: 'non-error thrown: "oops"',
    });
  });
});

describe(IpcError.name, () => {
  it("is rebuilt on the client from a failed response", () => {
    const response = errorResponse(3, "unknown_sense", 'sense "x" is not declared');
    const error = IpcError.from(response.error);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ name: "IpcError", code: "unknown_sense" });
    expect(error.message).toBe('sense "x" is not declared');
  });

  it("recognises exactly the six protocol codes", () => {
    expect(IPC_ERROR_CODES).toHaveLength(6);
    expect(isIpcErrorCode("too_large")).toBe(true);
    expect(isIpcErrorCode("timeout")).toBe(false);
    expect(isIpcErrorCode(1)).toBe(false);
  });
});

describe(parseResponseLine.name, () => {
  it.each<[string, IpcResponse]>([
    ["a success", successResponse(7, { sense: "cpu-usage", accepted: true })],
    ["a success with a null result", successResponse("x", null)],
    ["a failure", errorResponse(8, "unknown_sense", "…")],
    ["a failure without an id", errorResponse(null, "bad_json", "not JSON")],
  ])("reads %s", (_label, response) => {
    expect(parseResponseLine(JSON.stringify(response))).toEqual({ ok: true, value: response });
  });

  it.each([
    ["not JSON", "{", "response is not valid JSON"],
    ["an array", "[]", "response: expected a JSON object, got an array"],
    ["a bad id", '{"id":-2,"ok":true,"result":1}', "response.id: expected"],
    ["a success without id", '{"id":null,"ok":true,"result":1}', "needs an id"],
    ["a success without result", '{"id":1,"ok":true}', "response.result: missing"],
    ["a non-boolean ok", '{"id":1,"ok":"yes"}', 'response.ok: expected true or false, got "yes"'],
    ["a failure without error", '{"id":1,"ok":false}', "response.error: expected an object"],
    [
      "an unknown code",
      '{"id":1,"ok":false,"error":{"code":"nope","message":""}}',
      "response.error.code",
    ],
    [
      "a missing message",
      '{"id":1,"ok":false,"error":{"code":"internal"}}',
      "response.error.message",
    ],
  ])("refuses %s", (_label, text, message) => {
    const parsed = parseResponseLine(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(message);
  });
});
