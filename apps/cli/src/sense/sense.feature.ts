import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { SenseService } from "./sense.service.js";

/** The senses of the workspace: config, live state, databases; loaded on first use. */
@Module({ providers: [SenseService] })
export class SenseFeatureModule {}

export const feature: Feature<SenseService> = { module: SenseFeatureModule, service: SenseService };
