import { describe, expect, it, vi } from "vitest";
import type { TimeoutHost } from "./interval-timer.js";
import { LogHold } from "./log-hold.js";

/** Named timeouts run by hand. */
class ManualTimers implements TimeoutHost {
  readonly armed = new Map<string, () => void>();

  setTimeout(name: string, callback: () => void): void {
    this.armed.set(name, callback);
  }

  clearTimeout(name: string): void {
    this.armed.delete(name);
  }

  fire(): void {
    const callbacks = [...this.armed.values()];
    this.armed.clear();
    for (const callback of callbacks) callback();
  }
}

function setup() {
  const log = { commitError: null as Error | null };
  const timers = new ManualTimers();
  const daemonLog = { warn: vi.fn(), info: vi.fn() };
  const resumed: string[] = [];
  const hold = new LogHold<string>({
    log,
    timers,
    daemonLog,
    resume: (entry) => resumed.push(entry),
  });
  return { log, timers, daemonLog, resumed, hold };
}

describe(LogHold.name, () => {
  describe("holds", () => {
    it("lets computes start while the log commits", () => {
      const { hold, timers, daemonLog } = setup();
      expect(hold.holds("cpu")).toBe(false);
      expect(timers.armed.size).toBe(0);
      expect(daemonLog.warn).not.toHaveBeenCalled();
    });

    it("holds every compute while a commit fails, and says so once", () => {
      const { hold, log, daemonLog } = setup();
      log.commitError = new Error("database or disk is full");
      expect(hold.holds("cpu")).toBe(true);
      expect(hold.holds("disk")).toBe(true);
      expect(hold.holds("cpu")).toBe(true);
      expect(hold.size).toBe(2);
      expect(daemonLog.warn).toHaveBeenCalledTimes(1);
      expect(daemonLog.warn.mock.calls[0][1]).toMatch(
        /^the log cannot be written \(database or disk is full\); computes are held/,
      );
    });
  });

  describe("resume", () => {
    it("keeps holding while commits fail and resumes every held entry once one succeeds", () => {
      const { hold, log, timers, daemonLog, resumed } = setup();
      log.commitError = new Error("database or disk is full");
      hold.holds("cpu");
      hold.holds("disk");
      timers.fire();
      expect(resumed).toEqual([]);
      expect(timers.armed.size).toBe(1);
      log.commitError = null;
      timers.fire();
      expect(resumed).toEqual(["cpu", "disk"]);
      expect(hold.size).toBe(0);
      expect(timers.armed.size).toBe(0);
      expect(daemonLog.info).toHaveBeenCalledWith(
        "reflex",
        "the log is written again; 2 held sense(s) resume",
      );
    });

    it("forgets what it held when stopped", () => {
      const { hold, log, timers, resumed } = setup();
      log.commitError = new Error("disk I/O error");
      hold.holds("cpu");
      hold.stop();
      log.commitError = null;
      timers.fire();
      expect(resumed).toEqual([]);
      expect(hold.size).toBe(0);
    });
  });
});
