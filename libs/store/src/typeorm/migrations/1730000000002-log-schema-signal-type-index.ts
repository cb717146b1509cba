import { LogSchemaStepMigration } from "./log-schema-step.js";

/** Schema step 2 of `data/logs.db`: signal rows leave the type index (a partial index). */
export class LogSchemaSignalTypeIndex1730000000002 extends LogSchemaStepMigration {
  readonly name = "LogSchemaSignalTypeIndex1730000000002";
  protected readonly version = 2;
}
