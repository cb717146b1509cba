import { EventEmitter2 } from "@nestjs/event-emitter";
import { SchedulerRegistry } from "@nestjs/schedule";
import { LogConnection, LogStore } from "@nerve/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { tempWorkspace } from "../reflex/__fixtures__/workspace.js";
import { DiskSpace, type DiskUsage } from "./disk-space.js";
import { RetentionService } from "./retention.service.js";

const DAY = 86_400_000;

/** A disk whose free space the test sets. */
class FakeDisk extends DiskSpace {
  free: DiskUsage | null = { freeBytes: 50, totalBytes: 100 };
  override usage(): DiskUsage | null {
    return this.free;
  }
}

describe(RetentionService.name, () => {
  let root: string;
  let cleanup: () => void;
  let logStore: LogStore;
  let disk: FakeDisk;
  let service: RetentionService;
  let registry: SchedulerRegistry;

  const seedOld = async (): Promise<void> => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    for (let day = 12; day >= 9; day -= 1) {
      logStore.append({ ts: today - day * DAY, source: "cli", type: "test.old", payload: { day } });
    }
    await logStore.flush();
  };
  const rows = (type: string) => logStore.query({ type, order: "asc" });

  beforeEach(() => {
    ({ root, cleanup } = tempWorkspace("max_rounds: 3\n"));
    const events = new EventEmitter2({ wildcard: true, delimiter: "." });
    const config = new ConfigService({ root }, events);
    logStore = LogStore.open(root);
    disk = new FakeDisk();
    registry = new SchedulerRegistry();
    const connection = new LogConnection(logStore.db);
    service = new RetentionService(
      config,
      logStore,
      new DaemonLog({ root }),
      new Clock(),
      disk,
      registry,
      connection,
    );
  });
  afterEach(async () => {
    await service.onApplicationShutdown();
    await logStore.close();
    cleanup();
  });

  it("leaves a disk with room alone", async () => {
    await seedOld();
    service.checkDisk();
    expect(service.busy).toBe(false);
    expect(service.last).toBeNull();
  });

  it("names the disk as the reason when free space falls under 5 %", async () => {
    await seedOld();
    disk.free = { freeBytes: 4, totalBytes: 100 };
    service.checkDisk();
    expect(service.busy).toBe(true);
    await service.request("schedule"); // resolves once the pass the check started has run
    await logStore.flush();
    expect(rows("store.archived")[0].payload).toMatchObject({ reason: "disk", rows: 4 });
  });

  it("registers its timers with the scheduler registry and removes them at shutdown", async () => {
    service.onApplicationBootstrap();
    expect(registry.getIntervals().sort()).toEqual(["store.disk-check", "store.retention"]);
    await service.onApplicationShutdown();
    expect(registry.getIntervals()).toEqual([]);
  });
});
