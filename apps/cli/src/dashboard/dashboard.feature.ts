import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { DashboardService } from "./dashboard.service.js";

/** `nerve dashboard`; loaded on first use. */
@Module({ providers: [DashboardService] })
export class DashboardFeatureModule {}

export const feature: Feature<DashboardService> = {
  module: DashboardFeatureModule,
  service: DashboardService,
};
