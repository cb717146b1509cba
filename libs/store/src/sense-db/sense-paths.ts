import { join } from "node:path";
import { NAME_PATTERN } from "@nerve/core";
import { InvalidSenseNameError } from "../errors/sense-db.error.js";
import { storePaths } from "../paths.js";

/** A sense name; it becomes a file name, so nothing else is accepted (SPEC §3). */
export const SENSE_NAME: RegExp = NAME_PATTERN;

/** @throws InvalidSenseNameError unless `name` matches {@link SENSE_NAME}. */
export function assertSenseName(name: string): void {
  if (typeof name !== "string" || !SENSE_NAME.test(name))
    throw new InvalidSenseNameError(String(name));
}

/** `data/senses/<name>.db` of the workspace (name checked). */
export function senseDatabasePath(root: string, name: string): string {
  assertSenseName(name);
  return join(storePaths(root).senseDbs, `${name}.db`);
}

/** `senses/<name>/migrations/` of the workspace (name checked). */
export function senseMigrationsDir(root: string, name: string): string {
  assertSenseName(name);
  return join(storePaths(root).senses, name, "migrations");
}
