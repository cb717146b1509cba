/**
 * The schema of `data/logs.db`, as versioned steps. This file is the one source of truth: the
 * TypeORM migration classes (daemon) and the light opener (CLI, workers) both run these
 * statements, and both record the reached version in `meta.schema_version`, which is what
 * decides whether a step still has to run. So a database first created by the CLI is picked up
 * by the daemon's TypeORM migrations without running anything twice, and the other way round.
 */

/** One schema step: applied once, in a transaction, in version order. */
export interface LogSchemaStep {
  version: number;
  name: string;
  statements: readonly string[];
}

/** Rows with this marker present may be deleted: only the archive writes it, inside its own
 * delete transaction, and removes it before committing, so no other connection ever sees it. */
export const ARCHIVE_MARKER_TABLE = "log_archive_marker";

export const LOG_UPDATE_REFUSED = "log is append-only: UPDATE on table log is refused";
export const LOG_DELETE_REFUSED =
  "log is append-only: DELETE on table log is refused (rows leave the log only through `nerve store archive`)";

/** The statuses of RunStatus (@nerve/core), for the CHECK constraint. Spelled out rather than
 * derived: a step's SQL must never change once released; a new status needs a new step. */
export const RUN_STATUS_LIST =
  "'queued', 'started', 'completed', 'failed', 'crashed', 'interrupted', 'dropped'";

/** Named, so TypeORM's entity (`@Check`) and this schema agree on it. */
export const RUN_STATUS_CHECK = "CHK_workflow_runs_status";

/** The log row type of signals, the bulk of the log. */
export const SIGNAL_TYPE = "signal";

/**
 * The condition of the partial index `log_type_ts` (from schema version 2): signal rows are left
 * out of the type index. They are most of the log, so a query for them walks the time index and
 * finds them at once, while every signal committed saves a b-tree insert (about 7 % of the
 * daemon's signal throughput, `npm run bench -- signal`). A query for any other type must carry
 * this very term for SQLite to use the index (see `logFilter`).
 */
export const TYPE_INDEX_WHERE = `"type" <> '${SIGNAL_TYPE}'`;

// Tables and indexes are written exactly as TypeORM generates them from the entities in
// typeorm/entities, so its schema builder finds nothing to change (a spec checks this).
export const LOG_SCHEMA_STEPS: readonly LogSchemaStep[] = [
  {
    version: 1,
    name: "initial",
    statements: [
      // AUTOINCREMENT: ids are never reused, even after the archive deleted the newest rows, so
      // an id names one row forever across database and archive files.
      'CREATE TABLE "log" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "ts" integer NOT NULL, ' +
        '"source" text NOT NULL, "type" text NOT NULL, "ref_id" text, "payload" text)',
      'CREATE INDEX "log_ts" ON "log" ("ts")',
      'CREATE INDEX "log_type_ts" ON "log" ("type", "ts")',
      'CREATE INDEX "log_ref_id" ON "log" ("ref_id")',
      `CREATE TABLE "${ARCHIVE_MARKER_TABLE}" ("day" text NOT NULL)`,
      `CREATE TRIGGER "log_no_update" BEFORE UPDATE ON "log"
       BEGIN SELECT RAISE(ABORT, '${LOG_UPDATE_REFUSED}'); END`,
      `CREATE TRIGGER "log_no_delete" BEFORE DELETE ON "log"
       WHEN NOT EXISTS (SELECT 1 FROM "${ARCHIVE_MARKER_TABLE}")
       BEGIN SELECT RAISE(ABORT, '${LOG_DELETE_REFUSED}'); END`,
      'CREATE TABLE "workflow_runs" ("run_id" text PRIMARY KEY NOT NULL, "workflow" text NOT NULL, ' +
        `"status" text NOT NULL, "prompt" text NOT NULL DEFAULT (''), "payload" text, ` +
        '"max_rounds" integer NOT NULL, "rounds" integer NOT NULL DEFAULT (0), "end_reason" text, ' +
        '"error" text, "source" text NOT NULL, "cause_id" text, "created_at" integer NOT NULL, ' +
        '"started_at" integer, "ended_at" integer, "updated_at" integer NOT NULL, ' +
        '"resumes" integer NOT NULL DEFAULT (0), ' +
        `CONSTRAINT "${RUN_STATUS_CHECK}" CHECK ("status" IN (${RUN_STATUS_LIST})))`,
      'CREATE INDEX "workflow_runs_status_created" ON "workflow_runs" ("status", "created_at")',
      'CREATE INDEX "workflow_runs_workflow_created" ON "workflow_runs" ("workflow", "created_at")',
      'CREATE TABLE "meta" ("key" text PRIMARY KEY NOT NULL, "value" text NOT NULL)',
    ],
  },
  {
    version: 2,
    name: "signals off the type index",
    statements: [
      'DROP INDEX "log_type_ts"',
      `CREATE INDEX "log_type_ts" ON "log" ("type", "ts") WHERE ${TYPE_INDEX_WHERE}`,
    ],
  },
  {
    version: 3,
    name: "hash chain",
    statements: [
      // Filled at append by LogStore; rows older than this step are chained afterwards, in
      // small batches (see chainPendingRows), so a big log never blocks the daemon.
      'ALTER TABLE "log" ADD COLUMN "hash" text',
      'DROP TRIGGER "log_no_update"',
      // The one UPDATE allowed: giving a row that has none its hash, nothing else changed.
      `CREATE TRIGGER "log_no_update" BEFORE UPDATE ON "log"
       WHEN OLD."hash" IS NOT NULL OR NEW."hash" IS NULL OR NEW."id" IS NOT OLD."id"
         OR NEW."ts" IS NOT OLD."ts" OR NEW."source" IS NOT OLD."source"
         OR NEW."type" IS NOT OLD."type" OR NEW."ref_id" IS NOT OLD."ref_id"
         OR NEW."payload" IS NOT OLD."payload"
       BEGIN SELECT RAISE(ABORT, '${LOG_UPDATE_REFUSED}'); END`,
    ],
  },
  {
    version: 4,
    name: "lineage",
    statements: [
      // What the log rows cannot say on their own: which tick or signals made a compute, and
      // what it made (see LineageCompute). Read by `nerve trace` through these indexes.
      'CREATE TABLE "lineage_compute" ("id" text PRIMARY KEY NOT NULL, "sense" text NOT NULL, ' +
        '"trigger" text NOT NULL, "ts" integer NOT NULL, "duration_ms" integer NOT NULL, ' +
        '"outcome" text NOT NULL, "effect" text)',
      'CREATE INDEX "lineage_compute_effect" ON "lineage_compute" ("effect") ',
      'CREATE TABLE "lineage_cause" ("signal_id" text NOT NULL, "compute_id" text NOT NULL, ' +
        'PRIMARY KEY ("signal_id", "compute_id"))',
      'CREATE INDEX "lineage_cause_compute" ON "lineage_cause" ("compute_id") ',
    ],
  },
];

/** The version a fully migrated database has. */
export const LOG_SCHEMA_VERSION = LOG_SCHEMA_STEPS[LOG_SCHEMA_STEPS.length - 1].version;

export const SCHEMA_VERSION_KEY = "schema_version";

/** Whether the meta table exists yet (it does not before step 1). */
export const META_EXISTS_SQL = `SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'meta'`;
export const READ_SCHEMA_VERSION_SQL = `SELECT value FROM meta WHERE key = '${SCHEMA_VERSION_KEY}'`;
export const WRITE_SCHEMA_VERSION_SQL =
  `INSERT INTO meta (key, value) VALUES ('${SCHEMA_VERSION_KEY}', ?) ` +
  "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
export const UPSERT_META_SQL =
  "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
