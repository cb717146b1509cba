import { EventEmitter2 } from "@nestjs/event-emitter";
import type { Signal } from "@nerve/core";
import { LogStore, LogStoreClosedError } from "@nerve/store";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Clock } from "../kernel/clock.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { InvalidSignalSubscriptionError, SignalBusWildcardError } from "./errors/signal.error.js";
import { SignalBus } from "./signal-bus.js";

describe(SignalBus.name, () => {
  let root: string;
  let events: EventEmitter2;
  let logStore: LogStore;
  let daemonLog: DaemonLog;
  let bus: SignalBus;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "nerve-signal-"));
    events = new EventEmitter2({ wildcard: true, delimiter: "." });
    logStore = LogStore.open(root);
    daemonLog = new DaemonLog({ root });
    bus = new SignalBus(events, logStore, daemonLog, new Clock());
  });

  afterEach(async () => {
    await logStore.close();
    await daemonLog.onApplicationShutdown();
    rmSync(root, { recursive: true, force: true });
  });

  describe("publish", () => {
    it("appends a signal row with the sense as source, the id as ref_id and the payload", async () => {
      const signal = bus.createSignal("cpu", { pct: 93 }, "cause-1");
      await bus.publish(signal);
      const rows = logStore.query({ type: "signal" });
      expect(rows).toEqual([
        {
          id: expect.any(Number),
          ts: signal.ts,
          source: "sense:cpu",
          type: "signal",
          refId: signal.id,
          payload: { pct: 93 },
        },
      ]);
    });

    it("stores the pre-serialised payload text as given", async () => {
      const signal = bus.createSignal("cpu", { pct: 93 });
      await bus.publish(signal, '{ "pct": 93 }');
      const raw = logStore.db
        .prepare("SELECT payload FROM log WHERE ref_id = ?")
        .pluck()
        .get(signal.id);
      expect(raw).toBe('{ "pct": 93 }');
    });

    it("notifies the subscribers of that sense and of every sense, not those of others", async () => {
      const cpu: Signal[] = [];
      const all: Signal[] = [];
      const disk: Signal[] = [];
      bus.subscribe("cpu", (signal) => void cpu.push(signal));
      bus.subscribe("*", (signal) => void all.push(signal));
      bus.subscribe("disk", (signal) => void disk.push(signal));
      const first = bus.createSignal("cpu", 1);
      const second = bus.createSignal("net", 2);
      await Promise.all([bus.publish(first), bus.publish(second)]);
      expect(cpu).toEqual([first]);
      expect(all).toEqual([first, second]);
      expect(disk).toEqual([]);
    });

    it("does not emit a signal whose row cannot be appended", async () => {
      const heard = vi.fn();
      bus.subscribe("*", heard);
      await logStore.close();
      await expect(bus.publish(bus.createSignal("cpu", 1))).rejects.toThrow(LogStoreClosedError);
      expect(heard).not.toHaveBeenCalled();
    });

    // Regression: listeners heard a signal before its row was committed, so a daemon killed
    // right after a listener acted could lose a signal that had been acted upon.
    it("notifies listeners only once the signal's row is committed", async () => {
      const committedWhenHeard: number[] = [];
      bus.subscribe("cpu", (signal) => {
        const reader = LogStore.open(root);
        committedWhenHeard.push(reader.reader.count({ type: "signal", refId: signal.id }));
        void reader.close();
      });
      const published = bus.publish(bus.createSignal("cpu", 1));
      expect(committedWhenHeard).toEqual([]);
      await published;
      expect(committedWhenHeard).toEqual([1]);
    });
  });

  describe("subscribe", () => {
    it("stops calling a handler once unsubscribed, and unsubscribing twice is harmless", async () => {
      const heard = vi.fn();
      const unsubscribe = bus.subscribe("cpu", heard);
      await bus.publish(bus.createSignal("cpu", 1));
      unsubscribe();
      unsubscribe();
      await bus.publish(bus.createSignal("cpu", 2));
      expect(heard).toHaveBeenCalledTimes(1);
    });

    it("keeps notifying the other handlers when one throws or rejects, and logs the failure", async () => {
      const error = vi.spyOn(daemonLog, "error");
      const heard = vi.fn();
      bus.subscribe("cpu", () => {
        throw new Error("listener broke");
      });
      bus.subscribe("cpu", () => Promise.reject(new Error("listener rejected")));
      bus.subscribe("cpu", heard);
      const signal = bus.createSignal("cpu", 1);
      await expect(bus.publish(signal)).resolves.toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
      expect(heard).toHaveBeenCalledWith(signal);
      const messages = error.mock.calls.map(([, message]) => message);
      expect(messages).toEqual([
        expect.stringContaining(`failed on signal ${signal.id} of sense cpu: listener broke`),
        expect.stringContaining("listener rejected"),
      ]);
    });

    it("rejects a source that is neither a sense name nor *", () => {
      expect(() => bus.subscribe("Bad Name", vi.fn())).toThrow(InvalidSignalSubscriptionError);
      expect(() => bus.subscribe("cpu.*", vi.fn())).toThrow(/expected a sense name .* or "\*"/);
    });
  });

  describe("createSignal", () => {
    it("gives unique ids that sort by creation time, and stamps the clock's time", () => {
      const clock = { now: vi.fn().mockReturnValueOnce(1_000).mockReturnValueOnce(2_000) };
      const timed = new SignalBus(events, logStore, daemonLog, clock);
      const a = timed.createSignal("cpu", 1);
      const b = timed.createSignal("cpu", 2);
      expect([a.ts, b.ts]).toEqual([1_000, 2_000]);
      expect(a.id < b.id).toBe(true);
      const ids = new Set(Array.from({ length: 1_000 }, () => bus.createSignal("cpu", 0).id));
      expect(ids.size).toBe(1_000);
    });

    it("sets causeId to null unless given", () => {
      expect(bus.createSignal("cpu", 1).causeId).toBeNull();
      expect(bus.createSignal("cpu", 1, "abc").causeId).toBe("abc");
    });
  });

  describe("construction", () => {
    it("refuses an event emitter without wildcards", () => {
      const plain = new EventEmitter2();
      expect(() => new SignalBus(plain, logStore, daemonLog, new Clock())).toThrow(
        SignalBusWildcardError,
      );
    });
  });
});
