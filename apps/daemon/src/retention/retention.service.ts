import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from "@nestjs/common";
import { OnEvent } from "@nestjs/event-emitter";
import { SchedulerRegistry } from "@nestjs/schedule";
import { formatSize, type CompiledStore } from "@nerve/core";
import {
  LogConnection,
  LogStore,
  StoreRetention,
  storePaths,
  type RetentionResult,
} from "@nerve/store";
import { Clock } from "../kernel/clock.js";
import { ConfigService } from "../kernel/config.service.js";
import { DaemonLog } from "../kernel/daemon-log.js";
import { KernelEvents, type ConfigChangedEvent } from "../kernel/events.js";
import { DiskSpace } from "./disk-space.js";

/** How often the policy is applied without any other reason. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/** How often the disk and the log's commits are looked at for a disk running full. */
export const DISK_CHECK_INTERVAL_MS = 60 * 1000;
/** Below this share of the file system free, a pass runs at once. */
export const LOW_DISK_SHARE = 0.05;

const PASS_INTERVAL = "store.retention";
const DISK_INTERVAL = "store.disk-check";
const FIRST_PASS = "store.retention.first";

/** Why a pass ran; logged with its rows. */
export type PassReason = "start" | "schedule" | "config" | "disk";

/**
 * Applies the `store:` policy (see StoreRetention) on the daemon's own connection: once just
 * after start, every hour, after a reload that changes the policy, and at once when the disk
 * holding `data/` is nearly full or a commit failed for want of space. One pass at a time; a
 * request during a pass runs one more pass after it. Each pass writes `store.archived` and
 * `store.pruned` rows saying what it moved and deleted.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<void> | null = null;
  private again: PassReason | null = null;
  private stopped = false;
  private readonly retention: StoreRetention;
  private lastResult: RetentionResult | null = null;

  constructor(
    private readonly config: ConfigService,
    private readonly logStore: LogStore,
    private readonly log: DaemonLog,
    private readonly clock: Clock,
    private readonly disk: DiskSpace,
    @Inject(SchedulerRegistry) private readonly registry: SchedulerRegistry,
    @Inject(LogConnection) connection: LogConnection,
  ) {
    this.retention = new StoreRetention(connection.db, config.root);
  }

  onApplicationBootstrap(): void {
    // After start-up, so the socket answers while the first pass works.
    this.registry.addTimeout(
      FIRST_PASS,
      setTimeout(() => void this.request("start"), 0),
    );
    this.registry.addInterval(
      PASS_INTERVAL,
      setInterval(() => void this.request("schedule"), RETENTION_INTERVAL_MS),
    );
    this.registry.addInterval(
      DISK_INTERVAL,
      setInterval(() => this.checkDisk(), DISK_CHECK_INTERVAL_MS),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const [kind, name] of [
      ["timeout", FIRST_PASS],
      ["interval", PASS_INTERVAL],
      ["interval", DISK_INTERVAL],
    ] as const) {
      if (this.registry.doesExist(kind, name)) {
        if (kind === "timeout") this.registry.deleteTimeout(name);
        else this.registry.deleteInterval(name);
      }
    }
    await this.running;
  }

  /** Whether a pass is running. */
  get busy(): boolean {
    return this.running !== null;
  }

  /** The last pass's result (null before the first one ended). */
  get last(): RetentionResult | null {
    return this.lastResult;
  }

  /** Runs a pass now, or once more after the one running; resolves when it has run. */
  request(reason: PassReason): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running !== null) {
      this.again ??= reason;
      return this.running;
    }
    this.running = this.pass(reason).finally(() => {
      this.running = null;
      const next = this.again;
      this.again = null;
      if (next !== null) void this.request(next);
    });
    return this.running;
  }

  @OnEvent(KernelEvents.configChanged)
  onConfigChanged(event: ConfigChangedEvent): void {
    if (!samePolicy(event.previous.store, event.next.store)) void this.request("config");
  }

  /** A disk running full is met by the policy before it is an outage. */
  checkDisk(): void {
    const usage = this.disk.usage(storePaths(this.config.root).data);
    const low = usage !== null && usage.freeBytes < usage.totalBytes * LOW_DISK_SHARE;
    const full = /SQLITE_FULL|disk is full|ENOSPC/.test(this.logStore.commitError?.message ?? "");
    if (low || full) void this.request("disk");
  }

  private async pass(reason: PassReason): Promise<void> {
    const policy = this.config.current.store;
    try {
      const result = await this.retention.run(policy, this.clock.now());
      this.lastResult = result;
      this.record(result, reason, policy);
    } catch (error) {
      const message = (error as Error).message;
      this.log.error("store", `retention pass (${reason}) failed: ${message}`);
      this.logStore.append({
        source: "daemon",
        type: "store.retention_failed",
        payload: { reason, error: message },
      });
    }
  }

  private record(result: RetentionResult, reason: PassReason, policy: CompiledStore): void {
    const { archived, pruned } = result;
    if (archived.rows > 0 || archived.runs > 0 || result.vacuumedBytes > 0) {
      this.logStore.append({
        source: "daemon",
        type: "store.archived",
        payload: {
          reason,
          days: archived.days,
          rows: archived.rows,
          runs: archived.runs,
          vacuumedBytes: result.vacuumedBytes,
          bytesBefore: result.bytesBefore,
          bytesAfter: result.bytesAfter,
        },
      });
      this.log.info(
        "store",
        `archived ${archived.rows} rows of ${archived.days.length} day(s); ${formatSize(result.vacuumedBytes)} given back`,
      );
    }
    if (pruned.length > 0) {
      const rows = pruned.reduce((sum, day) => sum + day.rows, 0);
      const bytes = pruned.reduce((sum, day) => sum + day.bytes, 0);
      this.logStore.append({
        source: "daemon",
        type: "store.pruned",
        payload: {
          reason,
          days: pruned.map((day) => day.day),
          rows,
          bytes,
          why: [...new Set(pruned.map((day) => day.reason))],
          lineage: result.lineagePruned,
          bytesAfter: result.bytesAfter,
        },
      });
      this.log.info(
        "store",
        `deleted ${pruned.length} archived day(s), ${rows} rows, ${formatSize(bytes)}`,
      );
    }
    if (result.overLimit && policy.maxSizeBytes !== null) {
      this.log.warn(
        "store",
        `the store is ${formatSize(result.bytesAfter)}, over max_size ${formatSize(policy.maxSizeBytes)}: ` +
          "today's rows alone exceed it (they are archived once their day is over)",
      );
    }
  }
}

function samePolicy(a: CompiledStore, b: CompiledStore): boolean {
  return (
    a.archiveAfterMs === b.archiveAfterMs &&
    a.deleteArchiveAfterMs === b.deleteArchiveAfterMs &&
    a.maxSizeBytes === b.maxSizeBytes
  );
}
