// Imported by worker processes: keep this file free of imports.

/** An error as it crosses a process boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** The base class of a runtime's own errors (see {@link serializeError}). */
export type OwnErrorClass = abstract new (...args: never[]) => Error;

/**
 * An error as `{ name, message, stack }`, whatever was thrown (strings, objects, null). Errors of
 * the `own` class (a runtime's own errors) say everything in their message; their stack would
 * only show the runtime's internals, so they carry the stack of their cause (a user's error), if
 * any.
 */
export function serializeError(error: unknown, own?: OwnErrorClass): SerializedError {
  if (own !== undefined && error instanceof own) {
    const out: SerializedError = { name: error.name, message: error.message };
    const cause: unknown = error.cause;
    if (cause instanceof Error && typeof cause.stack === "string") out.stack = cause.stack;
    return out;
  }
  if (error instanceof Error) {
    const out: SerializedError = { name: error.name, message: error.message };
    if (typeof error.stack === "string") out.stack = error.stack;
    return out;
  }
  if (typeof error === "object" && error !== null) {
    const { name, message, stack } = error as Record<string, unknown>;
    if (typeof message === "string") {
      const out: SerializedError = { name: typeof name === "string" ? name : "Error", message };
      if (typeof stack === "string") out.stack = stack;
      return out;
    }
  }
  let text: string;
  try {
    text = typeof error === "string" ? error : (JSON.stringify(error) ?? String(error));
  } catch {
    text = String(error);
  }
  return { name: "NonError", message: `a non-Error value was thrown: ${text}` };
}
