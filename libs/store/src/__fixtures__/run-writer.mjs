// Another process recording workflow runs in data/logs.db while a run archive runs: raw
// better-sqlite3, as the engine does — a run created `started`, then ended `completed` in a
// later transaction; half of them created and ended on an old day (they become archivable
// while the archive runs), half today. Prints "ready" after its first run ended and the number
// of runs it wrote when it stops (SIGTERM).
import Database from "better-sqlite3";

const [file, oldTs, nowTs] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v)));
const db = new Database(file, { timeout: 5000 });
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const create = db.prepare(
  "INSERT INTO workflow_runs (run_id, workflow, status, max_rounds, source, created_at, " +
    "started_at, updated_at) VALUES (?, 'child', 'started', 3, 'cli', ?, ?, ?)",
);
const end = db.prepare(
  "UPDATE workflow_runs SET status = 'completed', ended_at = ?, updated_at = ? WHERE run_id = ?",
);
let written = 0;
let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});
const step = () => {
  if (stopping) {
    db.close();
    process.stdout.write(`written ${written}\n`, () => process.exit(0));
    return;
  }
  const ts = (written % 2 === 0 ? oldTs : nowTs) + written;
  const runId = `child-${String(written).padStart(8, "0")}`;
  create.run(runId, ts, ts, ts);
  end.run(ts + 1, ts + 1, runId);
  written += 1;
  if (written === 1) process.stdout.write("ready\n");
  setImmediate(step);
};
step();
