import { Logger } from "@nestjs/common";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DaemonLog } from "./daemon-log.js";
import { NestLogger } from "./nest-logger.js";

function recorder() {
  const daemonLog = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { daemonLog, logger: new NestLogger(daemonLog as unknown as DaemonLog) };
}

describe(NestLogger.name, () => {
  afterEach(() => {
    Logger.overrideLogger(true);
  });

  // Regression: the daemon log was Nest's logger as is, so `new Logger("LogStore").error(m)`
  // wrote "[<m>] undefined" with "LogStore" as the stack.
  it("writes an error of a Logger with a context under that context, message intact", () => {
    const { daemonLog, logger } = recorder();
    Logger.overrideLogger(logger);
    new Logger("LogStore").error("could not commit 3 log row(s): database or disk is full");
    expect(daemonLog.error).toHaveBeenCalledWith(
      "LogStore",
      "could not commit 3 log row(s): database or disk is full",
      undefined,
    );
  });

  it("keeps the stack of error(message, stack) and of an Error given as message", () => {
    const { daemonLog, logger } = recorder();
    logger.error("boom", "Error: boom\n    at x (y.js:1:1)");
    const failure = new Error("broken");
    logger.error(failure, undefined, "modules");
    expect(daemonLog.error.mock.calls).toEqual([
      ["nest", "boom", "Error: boom\n    at x (y.js:1:1)"],
      ["modules", "broken", failure.stack],
    ]);
  });

  it("writes log and warn under their context", () => {
    const { daemonLog, logger } = recorder();
    Logger.overrideLogger(logger);
    new Logger("ipc").log("listening");
    new Logger("config").warn("a sense has no reflex");
    logger.warn("no context");
    expect(daemonLog.info).toHaveBeenCalledWith("ipc", "listening");
    expect(daemonLog.warn.mock.calls).toEqual([
      ["config", "a sense has no reflex"],
      ["nest", "no context"],
    ]);
  });
});
