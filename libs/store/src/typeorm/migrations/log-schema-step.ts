import type { QueryRunner } from "typeorm";
import {
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
