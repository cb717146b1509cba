// workflow.runs / workflow.resume: the workflow engine as the daemon runs it (NerveModule, no
// socket, no watcher; a real forked workflow worker; every message committed to data/logs.db).
//
// workflow.runs.per_s: completed runs per second of a two-round workflow (start message, two
// role messages, each committed before the next moderator call) with 10 launchers, each
// launching a run and waiting for its end, under `concurrency: 10`. Beside it, in the same run
// and on the same store: the raw durable commit rate — one LogStore.appendDurable awaited
// after the other, one row per commit. Target: >= 1,000 runs/s.
//
// workflow.resume.ms: from kill -9 of the workflow's worker, mid-round, to the commit of that
// round by the respawned worker: the first respawn delay (100 ms), fork, init, resume from the
// store, the round. Baseline: a bare fork() until its first message, measured alternately.
import "reflect-metadata";
import { fork } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { NestFactory } from "@nestjs/core";
import { LogStore, RunStore } from "@nerve/store";
import { median } from "./lib/measure.mjs";

const dist = (path) => new URL(`../apps/daemon/dist/${path}`, import.meta.url).href;
const { NerveModule } = await import(dist("nerve.module.js"));
const { WorkflowManager, WORKFLOW_ENGINE_OPTIONS } = await import(dist("workflow/index.js"));

const TWO_ROUNDS = `
const END = "__end__";
export default {
  roles: { analyst: (ctx) => ({ seen: ctx.round }), cleaner: () => ({ removed: 12 }) },
  moderator: ({ round }) => (round === 1 ? "analyst" : round === 2 ? "cleaner" : END),
};
`;

// Round 2 hangs while the file payload.armed exists: the bench kills the worker there.
const KILLABLE = `
import { existsSync } from "node:fs";
const END = "__end__";
export default {
  roles: {
    first: () => 1,
    second: (ctx) => existsSync(ctx.start.payload.armed) ? new Promise(() => {}) : 2,
  },
  moderator: ({ round }) => (round === 1 ? "first" : round === 2 ? "second" : END),
};
`;

const YAML = `workflows:
  pair:
    concurrency: 10
    max_queue: 100000
  killable:
    concurrency: 1
`;

function workspace() {
  const root = mkdtempSync(join(tmpdir(), "nerve-bench-workflow-"));
  writeFileSync(join(root, "nerve.yaml"), YAML);
  for (const [name, source] of [
    ["pair", TWO_ROUNDS],
    ["killable", KILLABLE],
  ]) {
    mkdirSync(join(root, "workflows", name), { recursive: true });
    writeFileSync(join(root, "workflows", name, "index.ts"), source);
  }
  return root;
}

async function engine(root) {
  // The resume measure kills the worker several times a minute: each kill is measured as an
  // isolated crash of a worker that ran stably (first respawn delay, no backoff growth), and
  // the crash-loop guard is lifted.
  const restart = { maxDeaths: 1_000, stableAfterMs: 0 };
  const options = {
    module: class BenchWorkflowOptions {},
    global: true,
    providers: [{ provide: WORKFLOW_ENGINE_OPTIONS, useValue: { restart } }],
    exports: [WORKFLOW_ENGINE_OPTIONS],
  };
  const rootModule = {
    module: class BenchRoot {},
    imports: [options, NerveModule.forRoot({ root, ipc: false, watch: false })],
  };
  return NestFactory.createApplicationContext(rootModule, { logger: false });
}

/** Completed runs per second with `launchers` closed-loop launchers. */
async function runsPerSecond(manager, runs, launchers) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: launchers }, async () => {
      while (next < runs) {
        next += 1;
        const { runId } = await manager.launch({
          workflow: "pair",
          prompt: "bench",
          payload: { pct: 93 },
          source: "cli",
          causeId: null,
        });
        const ended = await manager.whenEnded(runId);
        if (ended?.status !== "completed") throw new Error(`run ${runId} ended ${ended?.status}`);
      }
    }),
  );
  return runs / ((performance.now() - start) / 1_000);
}

/** Commits per second of appendDurable awaited one after the other (one row per commit). */
async function durableCommitsPerSecond(logStore, commits) {
  const start = performance.now();
  for (let i = 0; i < commits; i += 1) {
    await logStore.appendDurable({ source: "daemon", type: "bench", payload: { i } });
  }
  return commits / ((performance.now() - start) / 1_000);
}

async function until(probe) {
  while (!probe()) await new Promise((resolve) => setImmediate(resolve));
}

/** Milliseconds from kill -9 of the worker in round 2 to the commit of round 2. */
async function resumeMs(root, manager, runStore) {
  const armed = join(root, "armed");
  writeFileSync(armed, "");
  const { runId } = await manager.launch({
    workflow: "killable",
    prompt: "",
    payload: { armed },
    source: "cli",
    causeId: null,
  });
  await until(() => (runStore.get(runId)?.rounds ?? 0) >= 1);
  const pid = manager.health().find((w) => w.name === "killable").pid;
  // Round 2 is running (hung) now; the respawned worker runs it again without the file.
  await new Promise((resolve) => setTimeout(resolve, 20));
  rmSync(armed);
  const start = performance.now();
  process.kill(pid, "SIGKILL");
  await until(() => (runStore.get(runId)?.rounds ?? 0) >= 2);
  const ms = performance.now() - start;
  await manager.whenEnded(runId);
  return ms;
}

async function bareFork(file) {
  const start = performance.now();
  const child = fork(file, [], { execArgv: [], stdio: ["ignore", "ignore", "ignore", "ipc"] });
  await new Promise((resolve) => child.once("message", resolve));
  const ms = performance.now() - start;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send("exit");
  await exited;
  return ms;
}

export default async function bench({ quick = false } = {}) {
  const root = workspace();
  const app = await engine(root);
  try {
    const manager = app.get(WorkflowManager);
    const logStore = app.get(LogStore);
    const runStore = app.get(RunStore);
    const runs = quick ? 1_000 : 5_000;
    const commits = quick ? 1_000 : 3_000;

    await runsPerSecond(manager, 200, 10); // warm-up
    const throughput = [];
    const commitRates = [];
    for (let i = 0; i < 3; i += 1) {
      throughput.push(await runsPerSecond(manager, runs, 10));
      commitRates.push(await durableCommitsPerSecond(logStore, commits));
    }
    const messages = logStore.count({ type: "workflow.message" });
    const completed = runStore.countList({ all: true, workflow: "pair" });
    const expectedRuns = 200 + 3 * runs;
    if (messages < expectedRuns * 3 || completed !== expectedRuns) {
      throw new Error(
        `expected ${expectedRuns} runs with 3 messages each, found ${completed} runs and ${messages} messages`,
      );
    }

    const readyFile = join(root, "ready.mjs");
    writeFileSync(
      readyFile,
      'process.send("ready");\nprocess.on("message", () => process.exit(0));\n',
    );
    const samples = quick ? 3 : 8;
    const resumes = [];
    const forks = [];
    await bareFork(readyFile);
    for (let i = 0; i < samples; i += 1) {
      forks.push(await bareFork(readyFile));
      resumes.push(await resumeMs(root, manager, runStore));
    }

    const runsValue = median(throughput);
    const commitValue = median(commitRates);
    const resumeValue = median(resumes);
    const forkValue = median(forks);
    const round = (value) => Math.round(value * 10) / 10;
    return [
      {
        name: "workflow.runs.per_s",
        value: round(runsValue),
        unit: "runs/s",
        baseline: "sequential LogStore.appendDurable (one row per commit)",
        baselineValue: round(commitValue),
        ratio: Math.round((runsValue / commitValue) * 1_000) / 1_000,
        target: ">= 1000 runs/s",
        pass: runsValue >= 1_000,
        runs: throughput.length,
        runsPerMeasure: runs,
        messagesPerRun: 3,
      },
      {
        name: "workflow.resume.ms",
        value: round(resumeValue),
        unit: "ms",
        baseline: "bare fork() until its first message",
        baselineValue: round(forkValue),
        ratio: Math.round((resumeValue / forkValue) * 1_000) / 1_000,
        target: null,
        pass: null,
        runs: resumes.length,
      },
    ];
  } finally {
    await app.close();
    if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  }
}
