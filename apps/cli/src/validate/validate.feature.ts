import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { ValidateService } from "./validate.service.js";

/** The config check (class-validator, yaml); loaded on first use. */
@Module({ providers: [ValidateService] })
export class ValidateFeatureModule {}

export const feature: Feature<ValidateService> = {
  module: ValidateFeatureModule,
  service: ValidateService,
};
