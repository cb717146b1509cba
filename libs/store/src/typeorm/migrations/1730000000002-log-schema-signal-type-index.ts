import type { MigrationInterface, QueryRunner } from "typeorm";
import { LOG_SCHEMA_STEPS } from "../../log/schema.js";
import { applyLogSchemaStep } from "./log-schema-step.js";

/** Schema step 2 of `data/logs.db`: signal rows leave the type index (a partial index). */
export class LogSchemaSignalTypeIndex1730000000002 implements MigrationInterface {
  readonly name = "LogSchemaSignalTypeIndex1730000000002";

  async up(runner: QueryRunner): Promise<void> {
    await applyLogSchemaStep(runner, LOG_SCHEMA_STEPS[1]);
  }

  /** The log is immutable: its schema is never rolled back. */
  down(): Promise<void> {
    return Promise.reject(
      new Error(`${this.name} cannot be reverted: data/logs.db holds the immutable log`),
    );
  }
}
