import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { TestService } from "./test.service.js";

/** The workspace's tests, run by Vitest; loaded on first use. */
@Module({ providers: [TestService] })
export class TestFeatureModule {}

export const feature: Feature<TestService> = { module: TestFeatureModule, service: TestService };
