import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { TraceService } from "./trace.service.js";

/** `nerve trace`: causal lineage from the store; loaded on first use. */
@Module({ providers: [TraceService] })
export class TraceFeatureModule {}

export const feature: Feature<TraceService> = {
  module: TraceFeatureModule,
  service: TraceService,
};
