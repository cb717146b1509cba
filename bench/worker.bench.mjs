// worker.ready / worker.memory: a sense group's worker as the daemon runs it (WorkerHost forking
// the worker bundled by SenseCompiler.bundleWorker, one trivial compiled sense) beside a bare
// fork() of a file that only sends "ready". Time: fork until the first message (Ready). Memory:
// the sum of Private_* in /proc/<pid>/smaps_rollup right after it. The parent holds a SQLite
// handle, as the daemon (LogStore) does, so the native addon's file pages are shared as they are
// in the daemon. The unbundled entry (dist/sense/worker/sense-worker.js) is measured too, for
// information. All variants alternate, so machine noise hits them alike.
import { fork } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openLogDatabase } from "@nerve/store/reader";
import { median } from "./lib/measure.mjs";

const sense = new URL("../apps/daemon/dist/sense/index.js", import.meta.url);
const { ProcessForker, SenseCompiler, WorkerHost, senseWorkerFile } = await import(sense.href);

export const figures = ["worker.ready.ms", "worker.memory.private"];

const FORK_OPTIONS = {
  serialization: "json",
  execArgv: [],
  stdio: ["ignore", "pipe", "pipe", "ipc"],
};

/** Private memory of a process in MiB (Private_Clean + Private_Dirty + Private_Hugetlb). */
function privateMiB(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  let kib = 0;
  for (const match of text.matchAll(/^Private_\w+:\s+(\d+) kB/gm)) kib += Number(match[1]);
  return kib / 1024;
}

async function bare(file) {
  const start = performance.now();
  const child = fork(file, [], FORK_OPTIONS);
  child.stdout.resume();
  child.stderr.resume();
  await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`bare child exited with code ${code}`)));
  });
  const ms = performance.now() - start;
  const mib = privateMiB(child.pid);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send("exit");
  await exited;
  return { ms, mib };
}

async function worker(init, workerFile) {
  const host = new WorkerHost({
    init,
    workerFile,
    forker: new ProcessForker(),
    clock: { now: () => Date.now() },
    listener: { exit() {}, log() {}, output() {} },
  });
  const start = performance.now();
  const failures = await host.start();
  const ms = performance.now() - start;
  if (failures.length > 0)
    throw new Error(`the trivial sense failed: ${failures[0].error.message}`);
  const mib = privateMiB(host.pid);
  await host.stop("bench");
  return { ms, mib };
}

const round = (value) => Math.round(value * 100) / 100;

function result(name, unit, baseline, values, baselineValues, unbundledValues, target) {
  const value = median(values);
  const baselineValue = median(baselineValues);
  const ratio = value / baselineValue;
  const unbundled = median(unbundledValues);
  return {
    name,
    value: round(value),
    unit,
    baseline,
    baselineValue: round(baselineValue),
    ratio: Math.round(ratio * 1_000) / 1_000,
    target: `ratio <= ${target}`,
    pass: ratio <= target,
    runs: values.length,
    unbundledValue: round(unbundled),
    unbundledRatio: Math.round((unbundled / baselineValue) * 1_000) / 1_000,
  };
}

export default async function bench({ quick = false } = {}) {
  const runs = quick ? 3 : 20;
  const root = mkdtempSync(join(tmpdir(), "nerve-bench-worker-"));
  const compiler = new SenseCompiler({ root });
  try {
    mkdirSync(join(root, "senses", "trivial"), { recursive: true });
    writeFileSync(
      join(root, "senses", "trivial", "compute.ts"),
      "export function compute(): number {\n  return 1;\n}\n",
    );
    const readyFile = join(root, "ready.mjs");
    writeFileSync(
      readyFile,
      'process.send("ready");\nprocess.on("message", () => process.exit(0));\n',
    );
    const build = await compiler.compile({
      name: "trivial",
      group: "default",
      throttleMs: 0,
      timeoutMs: 30_000,
      gracePeriodMs: 0,
      computeFile: "senses/trivial/compute.ts",
    });
    if (!build.ok) throw build.error;
    const init = {
      root,
      group: "default",
      senses: [
        {
          name: "trivial",
          module: build.module,
          source: build.source,
          migrationsDir: join(root, "senses", "trivial", "migrations"),
        },
      ],
    };
    const parentDb = openLogDatabase(root);
    parentDb.prepare("SELECT count(*) FROM log").get();
    const entry = senseWorkerFile(sense.href);
    const { file: bundle } = await compiler.bundleWorker(entry);
    // One warm-up of each (disk cache, the sense database's creation), then alternate.
    await bare(readyFile);
    await worker(init, bundle);
    await worker(init, entry);
    const bares = [];
    const bundled = [];
    const unbundled = [];
    for (let i = 0; i < runs; i += 1) {
      bares.push(await bare(readyFile));
      bundled.push(await worker(init, bundle));
      unbundled.push(await worker(init, entry));
    }
    parentDb.close();
    const baseline = "bare fork() of a file that sends ready";
    const pick = (list, key) => list.map((run) => run[key]);
    return [
      result(
        "worker.ready.ms",
        "ms",
        baseline,
        pick(bundled, "ms"),
        pick(bares, "ms"),
        pick(unbundled, "ms"),
        2,
      ),
      result(
        "worker.memory.private",
        "MiB",
        baseline,
        pick(bundled, "mib"),
        pick(bares, "mib"),
        pick(unbundled, "mib"),
        1.5,
      ),
    ];
  } finally {
    await compiler.onApplicationShutdown();
    rmSync(root, { recursive: true, force: true });
  }
}
