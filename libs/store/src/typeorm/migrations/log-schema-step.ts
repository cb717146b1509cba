import type { MigrationInterface, QueryRunner } from "typeorm";
import {
  LOG_SCHEMA_STEPS,
  META_EXISTS_SQL,
  READ_SCHEMA_VERSION_SQL,
  WRITE_SCHEMA_VERSION_SQL,
  type LogSchemaStep,
} from "../../log/schema.js";

/**
 * Runs one shared schema step through TypeORM, unless `meta.schema_version` says it is
 * applied already (the light opener may have created the database first). TypeORM runs it
 * inside its migration transaction.
 */
export async function applyLogSchemaStep(runner: QueryRunner, step: LogSchemaStep): Promise<void> {
  if ((await currentVersion(runner)) >= step.version) return;
  for (const sql of step.statements) await runner.query(sql);
  await runner.query(WRITE_SCHEMA_VERSION_SQL, [String(step.version)]);
}

async function currentVersion(runner: QueryRunner): Promise<number> {
  const meta = (await runner.query(META_EXISTS_SQL)) as unknown[];
  if (meta.length === 0) return 0;
  const rows = (await runner.query(READ_SCHEMA_VERSION_SQL)) as { value: string }[];
  return rows.length === 0 ? 0 : Number(rows[0].value);
}

/**
 * A TypeORM migration that runs shared schema step `version`. The log is immutable: its schema
 * is never rolled back, so `down` refuses.
 */
export abstract class LogSchemaStepMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly version: number;

  async up(runner: QueryRunner): Promise<void> {
    const step = LOG_SCHEMA_STEPS.find((candidate) => candidate.version === this.version);
    if (step === undefined) throw new Error(`${this.name}: no schema step ${this.version}`);
    await applyLogSchemaStep(runner, step);
  }

  down(): Promise<void> {
    return Promise.reject(
      new Error(`${this.name} cannot be reverted: data/logs.db holds the immutable log`),
    );
  }
}
