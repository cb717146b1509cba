import { LogSchemaStepMigration } from "./log-schema-step.js";

/** Schema step 1 of `data/logs.db`: log (+ triggers), workflow_runs, meta. */
export class LogSchemaInitial1730000000001 extends LogSchemaStepMigration {
  readonly name = "LogSchemaInitial1730000000001";
  protected readonly version = 1;
}
