import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { LogsService } from "./logs.service.js";

/** Reading and following the daemon's text log; loaded on first use. */
@Module({ providers: [LogsService] })
export class LogsFeatureModule {}

export const feature: Feature<LogsService> = { module: LogsFeatureModule, service: LogsService };
