import type { MigrationInterface, QueryRunner } from "typeorm";
import { LOG_SCHEMA_STEPS } from "../../log/schema.js";
import { applyLogSchemaStep } from "./log-schema-step.js";

/** Schema step 1 of `data/logs.db`: log (+ triggers), workflow_runs, meta. */
export class LogSchemaInitial1730000000001 implements MigrationInterface {
  readonly name = "LogSchemaInitial1730000000001";

  async up(runner: QueryRunner): Promise<void> {
    await applyLogSchemaStep(runner, LOG_SCHEMA_STEPS[0]);
  }

  /** The log is immutable: its schema is never rolled back. */
  down(): Promise<void> {
    return Promise.reject(
      new Error(`${this.name} cannot be reverted: data/logs.db holds the immutable log`),
    );
  }
}
