// cli.status / cli.workflow-list: cold start of the built CLI beside a plain Node script that does
// the same work (bench/baselines/). cli.trace: `nerve trace` of a 10-round run whose tick, signal
// and compute sit in the middle of a log of 1,000,000 rows (100,000 with --quick), each with its
// lineage, beside `nerve workflow list` in the same rounds: index-backed, it stays within 2x. A temp copy of the quickstart workspace gets its own daemon
// (started and stopped here) and a few seeded runs; each round runs the four commands in turn,
// so the machine's noise hits both sides of a pair alike. Target: the CLI within 2x its baseline.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeCommands } from "./lib/measure.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const cli = here("../apps/cli/dist/main.js");
const example = here("../examples/quickstart");
const plainStatus = here("./baselines/status-plain.mjs");
const plainList = here("./baselines/workflow-list-plain.mjs");
const TARGET = 2;

export const figures = ["cli.status.ms", "cli.workflow-list.ms", "cli.trace.ms"];

/** What a workspace accumulates while it runs; not part of the copy. */
const RUNTIME_FILES = new Set([
  "data",
  "logs",
  "node_modules",
  ".nerve",
  "nerve.pid",
  "nerve.sock",
]);

function runCli(args) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`nerve ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

/** Runs for `workflow list` to find: half active (listed by default), half finished. */
async function seedRuns(root) {
  const { RunStore, openLogDatabase } = await import("@nerve/store");
  const db = openLogDatabase(root);
  try {
    const runs = new RunStore(db);
    for (let i = 0; i < 20; i++) {
      const { runId } = runs.create({
        workflow: "bench-seed",
        status: "started",
        prompt: `seeded run ${i}`,
        maxRounds: 5,
        source: "cli",
      });
      if (i % 2 === 0) runs.transition(runId, "completed", { endReason: "end" });
    }
  } finally {
    db.close();
  }
}

/**
 * A big log: `rows` signal rows of an interval sense, each with its compute's lineage, and in the
 * middle one chain tick → signal → compute → run of 10 rounds. Returns the run's id.
 */
async function seedLog(root, rows) {
  const { LogStore, RunStore, newRunId, openLogDatabase } = await import("@nerve/store");
  const db = openLogDatabase(root);
  const log = new LogStore(db, { batchSize: 10_000 });
  const start = Date.now() - 2 * 3_600_000;
  let runId = null;
  try {
    for (let i = 0; i < rows; i++) {
      const ts = start + i;
      const compute = newRunId(ts);
      const signal = newRunId(ts);
      log.append({ ts, source: "sense:noise", type: "signal", refId: signal, payload: { i } });
      log.recordCompute({
        id: compute,
        sense: "noise",
        trigger: "interval",
        ts,
        durationMs: 1,
        outcome: "signal",
        effect: signal,
        causes: [],
      });
      if (i === Math.floor(rows / 2)) {
        const launch = newRunId(ts);
        runId = newRunId(ts);
        new RunStore(db, undefined, () => ts).create({
          runId,
          workflow: "checkup",
          status: "started",
          maxRounds: 10,
          source: "sense:watchdog",
          causeId: signal,
        });
        log.recordCompute({
          id: launch,
          sense: "watchdog",
          trigger: "signal",
          ts,
          durationMs: 2,
          outcome: "run",
          effect: runId,
          causes: [signal],
        });
        for (let round = 0; round <= 10; round++) {
          const message =
            round === 0
              ? { kind: "start", prompt: "", payload: null, maxRounds: 10, ts }
              : { kind: "role", role: "examine", round, content: `round ${round}`, ts: ts + round };
          log.append({
            ts: ts + round,
            source: "workflow:checkup",
            type: "workflow.message",
            refId: runId,
            payload: message,
          });
        }
      }
      if (i % 50_000 === 0) await log.flush();
    }
    await log.close();
  } finally {
    db.close();
  }
  return runId;
}

function row(name, value, baseline, baselineValue, runs) {
  const ratio = value / baselineValue;
  return {
    name,
    value: Math.round(value * 10) / 10,
    unit: "ms",
    baseline,
    baselineValue: Math.round(baselineValue * 10) / 10,
    ratio: Math.round(ratio * 1000) / 1000,
    target: `<= ${TARGET}`,
    pass: ratio <= TARGET,
    runs,
  };
}

export default async function bench({ quick }) {
  const runs = quick ? 5 : 20;
  const dir = mkdtempSync(join(tmpdir(), "nerve-bench-cli-"));
  const root = join(dir, "ws");
  cpSync(example, root, {
    recursive: true,
    filter: (source) => source === example || !RUNTIME_FILES.has(basename(source)),
  });
  let started = false;
  try {
    const traced = await seedLog(root, quick ? 100_000 : 1_000_000);
    runCli(["daemon", "start", "--root", root, "--json"]);
    started = true;
    await seedRuns(root);
    // One untimed round first, so the page cache holds every file either side reads.
    const commands = [
      [process.execPath, plainStatus, root],
      [process.execPath, cli, "status", "--json", "--root", root],
      [process.execPath, plainList, root],
      [process.execPath, cli, "workflow", "list", "--json", "--root", root],
      [process.execPath, cli, "trace", traced, "--json", "--root", root],
    ];
    timeCommands(commands, 1);
    const [plainStatusMs, statusMs, plainListMs, listMs, traceMs] = timeCommands(commands, runs);
    return [
      row("cli.status.ms", statusMs, "plain script: one health request", plainStatusMs, runs),
      row(
        "cli.workflow-list.ms",
        listMs,
        "plain script: the same query with better-sqlite3",
        plainListMs,
        runs,
      ),
      row(
        "cli.trace.ms",
        traceMs,
        "nerve workflow list --json, same log, same rounds",
        listMs,
        runs,
      ),
    ];
  } finally {
    if (started) runCli(["daemon", "stop", "--root", root]);
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench/cli.bench.mjs [--quick]` runs it alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = await bench({ quick: process.argv.includes("--quick") });
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}
