import { EventEmitter2 } from "@nestjs/event-emitter";
import { LogStore } from "@nerve/store";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_FILE, ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents } from "../kernel/events.js";
import { tempWorkspace } from "../reflex/__fixtures__/workspace.js";
import { WatchService } from "./watch.service.js";

describe(WatchService.name, () => {
  let root: string;
  let cleanup: () => void;
  let events: EventEmitter2;
  let config: ConfigService;
  let logStore: LogStore;
  let watcher: WatchService;

  beforeEach(() => {
    ({ root, cleanup } = tempWorkspace("max_rounds: 3\n"));
    events = new EventEmitter2({ wildcard: true, delimiter: "." });
    config = new ConfigService({ root }, events);
    logStore = LogStore.open(root);
    watcher = new WatchService(config, events, new DaemonLog({ root }), logStore);
  });
  afterEach(async () => {
    await watcher.onModuleDestroy();
    await logStore.close();
    cleanup();
  });

  const reloaded = () =>
    new Promise<number>((resolve) =>
      events.once(KernelEvents.configChanged, () => resolve(config.current.maxRounds)),
    );

  it("applies an edit of nerve.yaml made after start-up read it but before it was watched", async () => {
    writeFileSync(join(root, CONFIG_FILE), "max_rounds: 7\n");
    const next = reloaded();
    await watcher.onApplicationBootstrap();
    expect(await next).toBe(7);
    await logStore.flush();
    expect(logStore.query({ type: "config.reload" })).toHaveLength(1);
  });

  it("reloads nothing at start when nerve.yaml is as it was read", async () => {
    expect(config.changedSinceRead()).toBe(false);
    await watcher.onApplicationBootstrap();
    writeFileSync(join(root, CONFIG_FILE), "max_rounds: 5\n");
    expect(await reloaded()).toBe(5);
    await logStore.flush();
    expect(logStore.query({ type: "config.reload" })).toHaveLength(1);
  });
});
