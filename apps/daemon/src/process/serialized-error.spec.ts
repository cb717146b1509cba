import { describe, expect, it } from "vitest";
import { serializeError } from "./serialized-error.js";
import { commandGuard } from "./worker-messages.js";

abstract class OwnError extends Error {}
class LoadFailed extends OwnError {}

describe(serializeError.name, () => {
  it("gives errors of the runtime's own class the stack of their cause", () => {
    const cause = new Error("user code failed");
    const error = new LoadFailed("could not load", { cause });
    expect(serializeError(error, OwnError)).toEqual({
      name: "Error",
      message: "could not load",
      stack: cause.stack,
    });
  });

  it("keeps an error's own stack when no own class is named", () => {
    const error = new LoadFailed("could not load", { cause: new Error("user code failed") });
    expect(serializeError(error)).toEqual({
      name: "Error",
      message: "could not load",
      stack: error.stack,
    });
  });

  it("describes a value that is not an error", () => {
    expect(serializeError(undefined)).toEqual({
      name: "NonError",
      message: "a non-Error value was thrown: undefined",
    });
  });
});

describe(commandGuard.name, () => {
  enum Command {
    Ready = "ready",
    Failed = "failed",
  }
  const isMessage = commandGuard<{ cmd: Command }>(Command);

  it("accepts only objects whose cmd is one of the enum's values", () => {
    expect(isMessage({ cmd: "ready" })).toBe(true);
    expect(isMessage({ cmd: "Ready" })).toBe(false);
    expect(isMessage({ cmd: "shutdown" })).toBe(false);
    expect(isMessage("ready")).toBe(false);
    expect(isMessage(null)).toBe(false);
  });
});
