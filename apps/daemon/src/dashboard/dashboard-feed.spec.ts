import type { Signal } from "@nerve/core";
import type { LogStore } from "@nerve/store";
import { afterEach, describe, expect, it } from "vitest";
import type { SignalBus } from "../signal/signal-bus.js";
import type { DashboardData } from "./dashboard-data.js";
import { DashboardFeed, type FeedSink } from "./dashboard-feed.js";

/** A sink whose socket never drains once `stuck`. */
class Sink implements FeedSink {
  chunks: string[] = [];
  writableLength = 0;
  destroyed = false;
  stuck = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    if (this.stuck) this.writableLength += chunk.length;
    return !this.stuck;
  }
  destroy(): void {
    this.destroyed = true;
  }
  events(name: string): unknown[] {
    return this.chunks
      .filter((c) => c.startsWith(`event: ${name}\n`))
      .map((c) => JSON.parse(c.slice(c.indexOf("data: ") + 6)) as unknown);
  }
}

/** The signal bus, the log store and the data service, as much as the feed uses of them. */
function fakes() {
  const handlers = new Set<(signal: Signal) => void>();
  const commits = new Set<() => void>();
  const bus = {
    subscribe: (_sense: string, handler: (signal: Signal) => void) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  } as unknown as SignalBus;
  const statement = { pluck: () => statement, get: () => 0, all: () => [] };
  const logStore = {
    reader: { prepare: () => statement },
    onCommitted: (listener: () => void) => {
      commits.add(listener);
      return () => commits.delete(listener);
    },
  } as unknown as LogStore;
  const data = {
    liveSenses: () => [],
    overview: () => ({ groups: [], workflows: [] }),
  } as unknown as DashboardData;
  const emit = (sense: string, payload: unknown): void => {
    for (const handler of handlers)
      handler({ id: `id-${sense}`, sense, payload, ts: 1, causeId: null });
  };
  return { bus, logStore, data, handlers, commits, emit };
}

describe(DashboardFeed.name, () => {
  let feed: DashboardFeed | null = null;

  afterEach(() => feed?.onModuleDestroy());

  it("listens to the bus and the log only while a stream is open", () => {
    const f = fakes();
    feed = new DashboardFeed(f.bus, f.logStore, f.data);
    expect(f.handlers.size).toBe(0);
    const detach = feed.attach(new Sink(), new Set(["signal"]), null);
    expect(f.handlers.size).toBe(1);
    expect(f.commits.size).toBe(1);
    detach?.();
    expect(f.handlers.size).toBe(0);
    expect(f.commits.size).toBe(0);
  });

  it("sends each stream the signals it asked for, payloads as JSON", () => {
    const f = fakes();
    feed = new DashboardFeed(f.bus, f.logStore, f.data);
    const all = new Sink();
    const cpu = new Sink();
    const stats = new Sink();
    feed.attach(all, new Set(["signal"]), null);
    feed.attach(cpu, new Set(["signal"]), "cpu");
    feed.attach(stats, new Set(["stats"]), null);
    f.emit("cpu", { html: "<script>" });
    f.emit("disk", 1);
    expect(all.events("signal")).toMatchObject([
      { sense: "cpu", payload: { html: "<script>" } },
      { sense: "disk" },
    ]);
    expect(cpu.events("signal")).toMatchObject([{ sense: "cpu" }]);
    expect(stats.events("signal")).toEqual([]);
  });

  it("drops a stream whose socket falls behind, and goes on serving the others", () => {
    const f = fakes();
    feed = new DashboardFeed(f.bus, f.logStore, f.data);
    feed.limits = { ...feed.limits, maxPendingBytes: 1_000 };
    const slow = new Sink();
    const fast = new Sink();
    feed.attach(slow, new Set(["signal"]), null);
    feed.attach(fast, new Set(["signal"]), null);
    slow.stuck = true;
    for (let i = 0; i < 100; i += 1) f.emit("cpu", { i, pad: "x".repeat(50) });
    expect(slow.destroyed).toBe(true);
    expect(slow.writableLength).toBeLessThan(1_000 + 200);
    expect(feed.size).toBe(1);
    expect(feed.dropped).toBe(1);
    expect(fast.events("signal")).toHaveLength(100);
  });

  it("refuses streams beyond its limit, and every stream once the daemon stops", () => {
    const f = fakes();
    feed = new DashboardFeed(f.bus, f.logStore, f.data);
    feed.limits = { ...feed.limits, maxClients: 2 };
    const open = [new Sink(), new Sink()];
    for (const sink of open) expect(feed.attach(sink, new Set(["signal"]), null)).not.toBeNull();
    expect(feed.attach(new Sink(), new Set(["signal"]), null)).toBeNull();
    feed.onModuleDestroy();
    expect(open.every((sink) => sink.destroyed)).toBe(true);
    expect(feed.attach(new Sink(), new Set(["signal"]), null)).toBeNull();
    expect(f.handlers.size).toBe(0);
  });
});
