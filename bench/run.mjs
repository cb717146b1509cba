#!/usr/bin/env node
// Runs every bench/*.bench.mjs (or those named on the command line), prints one table and writes
// bench/results.json: [{ name, value, unit, baseline, baselineValue, ratio, target, pass, ... }].
// Each benchmark measures its own baseline in the same run; see docs/PERFORMANCE.md.
//   npm run bench                   all benchmarks, full length
//   npm run bench -- --quick        shorter runs (under a minute in all)
//   npm run bench -- log-append     only the files whose name starts with one of these words
//
// Each file runs in its own process (bench/lib/run-one.mjs), in its own process group, with a
// time limit: a benchmark that throws, crashes or hangs gets an error row per figure it declares
// (its `figures` export) and the others still run. Exit code 1 when a benchmark failed to run,
// not when a target is missed. The limit per file: 120 s with --quick, else 900 s
// (NERVE_BENCH_TIME_LIMIT_MS overrides it).
import { fork } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatTable } from "./lib/table.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const runOne = join(here, "lib", "run-one.mjs");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.filter((arg) => !arg.startsWith("--"));
const TIME_LIMIT_MS = Number(process.env.NERVE_BENCH_TIME_LIMIT_MS) || (quick ? 120_000 : 900_000);

// Figures whose name in the report differs from the name their benchmark gives them.
const RENAMED = { "workflow.runs.per_s": "workflow.throughput" };
// Figures of benchmark files that do not declare them (a `figures` export), for failure rows.
const KNOWN_FIGURES = {
  "cli.bench.mjs": ["cli.status.ms", "cli.workflow-list.ms", "cli.trace.ms"],
  "workflow.bench.mjs": ["workflow.runs.per_s", "workflow.resume.ms"],
};

const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.mjs"))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`bench: no benchmark matches ${only.join(", ")}\n`);
  process.exit(2);
}

let current = null;
// Ctrl-C reaches only this process (the benchmark has its own group): take the group along.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (current !== null) killGroup(current);
    process.exit(130);
  });
}

/** Runs one file in a child; resolves with {figures, results} or {figures, error}. */
function runFile(file) {
  return new Promise((resolve) => {
    const child = fork(runOne, [join(here, file), ...(quick ? ["--quick"] : [])], {
      cwd: join(here, ".."),
      detached: true, // its own process group: a timeout takes its daemons and workers too
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    current = child.pid;
    const outcome = { figures: null, results: null, error: null };
    const timer = setTimeout(() => {
      outcome.error ??= `did not finish within ${TIME_LIMIT_MS / 1_000} s`;
      killGroup(child.pid);
    }, TIME_LIMIT_MS);
    child.on("message", (message) => {
      if (message.figures) outcome.figures = message.figures;
      if (message.results) outcome.results = message.results;
      if (message.error) outcome.error = message.error;
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      current = null;
      // Whatever the benchmark left behind in its group goes with it.
      killGroup(child.pid);
      if (outcome.results === null && outcome.error === null) {
        outcome.error = `its process ended (${signal ?? `exit code ${code}`}) without results`;
      }
      resolve(outcome);
    });
  });
}

function killGroup(pid) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

function errorRow(name, error) {
  return {
    name,
    value: null,
    unit: null,
    baseline: null,
    baselineValue: null,
    ratio: null,
    target: null,
    pass: null,
    error,
  };
}

/** The rows of one file, renamed, plus an error row for each declared figure it did not give. */
function rowsOf(file, outcome) {
  const declared = outcome.figures ?? KNOWN_FIGURES[file] ?? null;
  const rename = (name) => RENAMED[name] ?? name;
  if (outcome.error !== null) {
    const firstLine = outcome.error.split("\n")[0];
    return (declared ?? [file.replace(/\.bench\.mjs$/, "")]).map((name) =>
      errorRow(rename(name), firstLine),
    );
  }
  const rows = outcome.results.map((row) => ({ ...row, name: rename(row.name) }));
  const given = new Set(outcome.results.map((row) => row.name));
  for (const name of declared ?? []) {
    if (!given.has(name)) rows.push(errorRow(rename(name), `${file} did not report ${name}`));
  }
  return rows;
}

const started = Date.now();
const results = [];
const failures = [];
for (const file of files) {
  const fileStart = Date.now();
  process.stderr.write(`bench: ${file}${quick ? " (quick)" : ""} ... `);
  const outcome = await runFile(file);
  const seconds = ((Date.now() - fileStart) / 1_000).toFixed(1);
  process.stderr.write(outcome.error === null ? `${seconds} s\n` : `FAILED after ${seconds} s\n`);
  const rows = rowsOf(file, outcome);
  if (outcome.error !== null) failures.push({ file, error: outcome.error });
  else {
    const missing = rows.filter((row) => row.error).map((row) => row.error);
    if (missing.length > 0) failures.push({ file, error: missing.join("\n") });
  }
  results.push(...rows);
}

writeFileSync(join(here, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${formatTable(results)}\n`);
process.stderr.write(
  `bench: ${files.length} file(s) in ${((Date.now() - started) / 1_000).toFixed(1)} s, ` +
    `results in bench/results.json\n`,
);
for (const { file, error } of failures)
  process.stderr.write(`\nbench: ${file} failed:\n${error}\n`);
if (failures.length > 0) process.exitCode = 1;
