import { LogSchemaStepMigration } from "./log-schema-step.js";

/** Schema step 4 of `data/logs.db`: the lineage of computes (what caused them, what they made). */
export class LogSchemaLineage1730000000004 extends LogSchemaStepMigration {
  readonly name = "LogSchemaLineage1730000000004";
  protected readonly version = 4;
}
