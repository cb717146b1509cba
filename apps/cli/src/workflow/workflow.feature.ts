import { Module } from "@nestjs/common";
import type { Feature } from "../common/features.js";
import { WorkflowService } from "./workflow.service.js";

/** Workflow runs: the store's view of them, and launching new ones; loaded on first use. */
@Module({ providers: [WorkflowService] })
export class WorkflowFeatureModule {}

export const feature: Feature<WorkflowService> = {
  module: WorkflowFeatureModule,
  service: WorkflowService,
};
