import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { ServiceService } from "./service.service.js";
import { Systemd } from "./systemd.js";

/** The daemon as a systemd unit; loaded on first use. */
@Module({ providers: [Systemd, ServiceService] })
export class ServiceFeatureModule {}

export const feature: Feature<ServiceService> = {
  module: ServiceFeatureModule,
  service: ServiceService,
};
