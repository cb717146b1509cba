import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { InitService } from "./init.service.js";

/** Scaffolding a workspace; loaded on first use. */
@Module({ providers: [InitService] })
export class InitFeatureModule {}

export const feature: Feature<InitService> = { module: InitFeatureModule, service: InitService };
