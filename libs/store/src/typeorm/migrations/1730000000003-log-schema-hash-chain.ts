import { LogSchemaStepMigration } from "./log-schema-step.js";

/** Schema step 3 of `data/logs.db`: the `hash` column of the chain; UPDATE may only set it once. */
export class LogSchemaHashChain1730000000003 extends LogSchemaStepMigration {
  readonly name = "LogSchemaHashChain1730000000003";
  protected readonly version = 3;
}
