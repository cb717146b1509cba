import { Module } from "@nestjs/common";
import { DiskSpace } from "./disk-space.js";
import { RetentionService } from "./retention.service.js";

/**
 * Retention that runs itself: the `store:` policy of nerve.yaml applied at start, hourly, when
 * the policy changes and when the disk runs low. Expects the kernel (ConfigService, DaemonLog,
 * Clock), the store (LogStore, LogConnection), SchedulerRegistry and EventEmitter2, all global.
 */
@Module({
  providers: [DiskSpace, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
