// A fault-injection preload for the daemon and its workers, loaded with
// `NODE_OPTIONS=--import <this file>` by the fault suite only. Nerve's own code has no hook.
//
// Why not poll `SELECT max(id) FROM log` from the test: the group commit writes every few
// milliseconds and one poll sees several commits at once, so a kill "after the 3rd commit" would
// land anywhere after it. This preload counts commits inside the process that makes them and
// kills right after the N-th one returns, before the process does anything else.
//
// A commit is a write statement after which the connection is no longer in a transaction: an
// autocommit INSERT/UPDATE, or the COMMIT of a transaction (better-sqlite3's transaction
// functions and TypeORM both run COMMIT as a prepared statement). Statement.prototype.run is
// shared by every statement of the native addon, so one patch sees them all.
//
// Environment (nothing happens unless NERVE_FAULT_ARM is set and the process matches):
// - NERVE_FAULT_PROCESS  "daemon" | "sense-worker": which process counts its commits.
// - NERVE_FAULT_ARM      a file holding N. Counting starts at the first commit after the file
//                        appears (that commit is the 1st); right after the N-th, the fault
//                        fires and the file is removed, so a restarted process stays quiet
//                        until the test arms it again.
// - NERVE_FAULT_FIRED    a file that gets one line per fault fired: pid, N, database, statement.
// - NERVE_FAULT_DB       a regular expression the database file name must match.
// - NERVE_FAULT_KILL     "self" (SIGKILL this process) or "child:<text>" (SIGKILL this
//                        process's children whose command line contains <text>).
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import process from "node:process";

const env = process.env;
const script = process.argv[1] ?? "";
const role = /apps\/daemon\/dist\/main\.js$/.test(script)
  ? "daemon"
  : /sense-worker\.m?js$/.test(script)
    ? "sense-worker"
    : null;

if (env.NERVE_FAULT_ARM && role !== null && role === env.NERVE_FAULT_PROCESS) install();

function install() {
  const arm = env.NERVE_FAULT_ARM;
  const firedFile = env.NERVE_FAULT_FIRED;
  const files = new RegExp(env.NERVE_FAULT_DB ?? ".");
  const kill = env.NERVE_FAULT_KILL ?? "self";
  const require = createRequire(import.meta.url);
  const Database = require("better-sqlite3");
  const probe = new Database(":memory:");
  const Statement = Object.getPrototypeOf(probe.prepare("SELECT 1"));
  probe.close();
  const run = Statement.run;
  let target = 0;
  let commits = 0;

  Statement.run = function patchedRun(...args) {
    const result = run.apply(this, args);
    const db = this.database;
    if (this.reader || db.inTransaction || !files.test(db.name)) return result;
    const sql = this.source.trim().split(/\s+/).slice(0, 3).join(" ");
    if (sql === "ROLLBACK") return result;
    if (target === 0) {
      if (!existsSync(arm)) return result;
      target = Number(readFileSync(arm, "utf8"));
      commits = 0;
    }
    commits += 1;
    if (commits === target) fire(db.name, sql);
    return result;
  };

  function fire(name, sql) {
    const k = target;
    target = 0;
    rmSync(arm, { force: true });
    if (firedFile) appendFileSync(firedFile, `${process.pid} ${k} ${name} ${sql}\n`);
    if (kill === "self") {
      process.kill(process.pid, "SIGKILL");
      return;
    }
    const text = kill.slice("child:".length);
    for (const pid of childrenOf(process.pid)) {
      if (commandLine(pid).includes(text)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Gone already.
        }
      }
    }
  }
}

function childrenOf(parent) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent) {
        pids.push(Number(entry));
      }
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}
