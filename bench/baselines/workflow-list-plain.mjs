#!/usr/bin/env node
// Baseline for `nerve workflow list --json`: the same query on data/logs.db with better-sqlite3
// and nothing else, printed as JSON.
//   node bench/baselines/workflow-list-plain.mjs <workspace>
import { join } from "node:path";
import Database from "better-sqlite3";

const root = process.argv[2] ?? process.cwd();
const db = new Database(join(root, "data", "logs.db"), { readonly: true, fileMustExist: true });
const runs = db
  .prepare(
    "SELECT run_id AS runId, workflow, status, rounds, max_rounds AS maxRounds, prompt, source, " +
      "cause_id AS causeId, created_at AS createdAt, started_at AS startedAt, ended_at AS endedAt, " +
      "end_reason AS endReason, error FROM workflow_runs WHERE status IN ('queued', 'started') " +
      "ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
  )
  .all(20, 0);
db.close();
process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
