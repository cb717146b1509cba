// Another process appending to data/logs.db while an archive runs: raw better-sqlite3, rows
// for an old day (late writes) and for today, in small transactions, until SIGTERM. Prints
// "ready" after its first commit and the number of rows it wrote when it stops.
import Database from "better-sqlite3";

const [file, oldTs, nowTs] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v)));
const db = new Database(file, { timeout: 5000 });
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const insert = db.prepare(
  "INSERT INTO log (ts, source, type, payload) VALUES (?, 'sense:child', 'signal', ?)",
);
const batch = db.transaction((n) => {
  for (let i = 0; i < 10; i += 1)
    insert.run(i % 2 === 0 ? oldTs + n : nowTs + n, JSON.stringify({ n }));
});
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
  batch(written);
  written += 10;
  if (written === 10) process.stdout.write("ready\n");
  setImmediate(step);
};
step();
