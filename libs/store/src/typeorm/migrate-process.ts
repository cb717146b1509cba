import process from "node:process";
import { LogDatabaseOpenError, LogSchemaError } from "../errors/log.error.js";
import { reasonOf } from "../errors/store.error.js";
import { migrateWithTypeorm } from "./migrate-with-typeorm.js";

/** What the migration process answers its parent, one IPC message. */
export type MigrateOutcome =
  | { ok: true }
  | { ok: false; kind: "open"; reason: string }
  | { ok: false; kind: "schema" | "other"; message: string };

/**
 * The process the daemon forks to run LOG_MIGRATIONS through TypeORM (see openLogConnection):
 * TypeORM is loaded here rather than in the daemon, and what it takes goes when this process
 * exits. Argument: the workspace root. It answers one MigrateOutcome and exits.
 */
async function main(root: string): Promise<MigrateOutcome> {
  try {
    await migrateWithTypeorm(root);
    return { ok: true };
  } catch (error) {
    if (error instanceof LogDatabaseOpenError)
      return { ok: false, kind: "open", reason: reasonOf(error.cause) };
    return {
      ok: false,
      kind: error instanceof LogSchemaError ? "schema" : "other",
      message: reasonOf(error),
    };
  }
}

const outcome = await main(process.argv[2]);
process.send?.(outcome, () => process.disconnect());
