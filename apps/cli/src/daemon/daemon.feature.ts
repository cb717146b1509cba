import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { DaemonActions } from "./daemon-actions.service.js";
import { DaemonControlService } from "./daemon-control.service.js";

/** Starting, stopping and asking the background daemon; loaded on first use. */
@Module({ providers: [DaemonControlService, DaemonActions] })
export class DaemonFeatureModule {}

export const feature: Feature<DaemonActions> = {
  module: DaemonFeatureModule,
  service: DaemonActions,
};
