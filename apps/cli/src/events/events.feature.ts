import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { EventsService } from "./events.service.js";

/** `nerve events`: the structured log; loaded on first use. */
@Module({ providers: [EventsService] })
export class EventsFeatureModule {}

export const feature: Feature<EventsService> = {
  module: EventsFeatureModule,
  service: EventsService,
};
