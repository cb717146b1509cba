import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { ValidateService } from "../validate/validate.service.js";
import { DoctorService } from "./doctor.service.js";

/** The workspace checkup; loaded on first use. */
@Module({ providers: [ValidateService, DoctorService] })
export class DoctorFeatureModule {}

export const feature: Feature<DoctorService> = {
  module: DoctorFeatureModule,
  service: DoctorService,
};
