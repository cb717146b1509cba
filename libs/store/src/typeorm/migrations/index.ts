import { LogSchemaInitial1730000000001 } from "./1730000000001-log-schema-initial.js";
import { LogSchemaSignalTypeIndex1730000000002 } from "./1730000000002-log-schema-signal-type-index.js";
import { LogSchemaHashChain1730000000003 } from "./1730000000003-log-schema-hash-chain.js";
import { LogSchemaLineage1730000000004 } from "./1730000000004-log-schema-lineage.js";

/** The table where TypeORM records which of LOG_MIGRATIONS ran. */
export const TYPEORM_MIGRATIONS_TABLE = "typeorm_migrations";

/** The TypeORM migrations of `data/logs.db`, one per shared schema step, in order. */
export const LOG_MIGRATIONS = [
  LogSchemaInitial1730000000001,
  LogSchemaSignalTypeIndex1730000000002,
  LogSchemaHashChain1730000000003,
  LogSchemaLineage1730000000004,
];

/** The names TypeORM records for LOG_MIGRATIONS, in order. */
export function logMigrationNames(): string[] {
  return LOG_MIGRATIONS.map((Migration) => new Migration().name);
}
