import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { ReplayService } from "./replay.service.js";

/** `nerve replay`: recorded signals re-fed into the current code; loaded on first use. */
@Module({ providers: [ReplayService] })
export class ReplayFeatureModule {}

export const feature: Feature<ReplayService> = {
  module: ReplayFeatureModule,
  service: ReplayService,
};
