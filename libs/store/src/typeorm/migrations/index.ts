import { LogSchemaInitial1730000000001 } from "./1730000000001-log-schema-initial.js";
import { LogSchemaSignalTypeIndex1730000000002 } from "./1730000000002-log-schema-signal-type-index.js";

/** The TypeORM migrations of `data/logs.db`, one per shared schema step, in order. */
export const LOG_MIGRATIONS = [
  LogSchemaInitial1730000000001,
  LogSchemaSignalTypeIndex1730000000002,
];
