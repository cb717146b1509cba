import { describe, expect, it } from "vitest";
import { LazyAbort } from "./sense-context.js";

describe(LazyAbort.name, () => {
  it("gives a live signal that a later abort aborts with its reason", () => {
    const abort = new LazyAbort();
    const signal = abort.signal;
    expect(signal.aborted).toBe(false);
    expect(abort.signal).toBe(signal);
    const reason = new DOMException("compute timed out", "TimeoutError");
    abort.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it("gives a signal already aborted, with the first reason, when the abort came first", () => {
    const abort = new LazyAbort();
    abort.abort("first");
    abort.abort("second");
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe("first");
  });
});
