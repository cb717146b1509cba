import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { StoreVerifyService } from "./store-verify.service.js";
import { StoreService } from "./store.service.js";

/** Maintenance of the log store; loaded on first use. */
@Module({ providers: [StoreService, StoreVerifyService] })
export class StoreFeatureModule {}

export const feature: Feature<StoreService> = { module: StoreFeatureModule, service: StoreService };
