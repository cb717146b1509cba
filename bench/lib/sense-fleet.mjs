// A fleet of trivial senses on one interval grid, for the scale benchmarks (scale.bench.mjs,
// scale-senses.bench.mjs): the workspace, the daemon host, CPU over a window, and the lateness
// of each compute against its deadline, plus the bare fan-out those figures are compared with.
//
// Each compute reads `performance.timeOrigin + performance.now()` first thing and keeps it in
// memory; each worker writes its batch to a file 250 ms after its first stamp since the last write
// (stamps/<pid>.txt), so a worker with nothing to write arms no timer. All senses
// share one grid: scheduler start + k × interval (SPEC §5, no grace period); the daemon runs
// through the same startDaemon() as apps/daemon/dist/main.js, in a forked host that reports the
// scheduler's start time (bench/lib/daemon-host.mjs).
import { fork } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { DAEMON_NODE_FLAGS } from "@nerve/core";
import { cpuSeconds, treeCpuByPid, treeCpuDelta } from "./proc.mjs";
import { makeWorkspace, nerveYaml, writeFiles } from "./workspace.mjs";

const host = fileURLToPath(new URL("./daemon-host.mjs", import.meta.url));
const self = fileURLToPath(import.meta.url);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const now = () => performance.timeOrigin + performance.now();

function senseSource(stampDir) {
  return `type Stamps = { lines: string[]; flush: () => void };
const g = globalThis as typeof globalThis & { __benchStamps?: Stamps };
if (g.__benchStamps === undefined) {
  const { appendFileSync } = await import("node:fs");
  const file = ${JSON.stringify(stampDir)} + "/" + process.pid + ".txt";
  const stamps: Stamps = {
    lines: [],
    flush: () => {
      appendFileSync(file, stamps.lines.join(""));
      stamps.lines = [];
    },
  };
  g.__benchStamps = stamps;
}
const stamps = g.__benchStamps;

export function compute(ctx: { name: string }): null {
  stamps.lines.push(\`\${performance.timeOrigin + performance.now()} \${ctx.name}\\n\`);
  // Written 250 ms after the first stamp since the last write: no timer while nothing computes.
  if (stamps.lines.length === 1) setTimeout(stamps.flush, 250).unref();
  return null;
}
`;
}

/**
 * A temp workspace of `senses` senses spread over `groups` groups, each on an `intervalMs`
 * reflex. `yaml(false)` is its nerve.yaml without the reflexes.
 */
export function fleetWorkspace(prefix, { senses: count, groups, intervalMs }) {
  const senses = {};
  const files = {};
  const ws = makeWorkspace(prefix, {});
  const stampDir = join(ws.root, "stamps");
  const digits = String(count - 1).length;
  const groupDigits = String(groups - 1).length;
  for (let i = 0; i < count; i += 1) {
    const name = `s${String(i).padStart(digits, "0")}`;
    senses[name] = { group: `g${String(i % groups).padStart(groupDigits, "0")}` };
    files[`senses/${name}/compute.ts`] = senseSource(stampDir);
  }
  const interval = `${intervalMs}ms`;
  const reflexes = Object.keys(senses).map((sense) => ({ sense, interval }));
  const yaml = (withReflexes) => nerveYaml({ senses, reflexes: withReflexes ? reflexes : [] });
  files["nerve.yaml"] = yaml(true);
  files["stamps/.keep"] = "";
  writeFiles(ws.root, files);
  return { ...ws, stampDir, yaml, intervalMs };
}

/** Starts the daemon host on `root`: {pid, startTime, stop()}. */
export async function startHost(root) {
  // NERVE_BENCH_DAEMON_ARGV: node flags for the daemon, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
  const extra = process.env.NERVE_BENCH_DAEMON_ARGV?.split(" ").filter(Boolean) ?? [];
  // As `nerve daemon start` runs the daemon: with its node flags.
  const execArgv = [...DAEMON_NODE_FLAGS, ...extra];
  const child = fork(host, ["--root", root], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    execArgv,
  });
  const message = await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`the daemon exited with code ${code}`)));
  });
  if (!message.ready) throw new Error(`the daemon did not start: ${message.error}`);
  return {
    pid: child.pid,
    startTime: message.startTime,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.send("stop");
      await exited;
      clearTimeout(timer);
    },
  };
}

/** % of one core used by the process tree of `pid` (and by `pid` alone) over `windowMs`. */
export async function cpuPercent(pid, windowMs) {
  const before = { tree: treeCpuByPid(pid), root: cpuSeconds(pid) };
  const start = performance.now();
  await sleep(windowMs);
  const seconds = (performance.now() - start) / 1_000;
  const tree = (treeCpuDelta(before.tree, treeCpuByPid(pid)) / seconds) * 100;
  const daemon = ((cpuSeconds(pid) - before.root) / seconds) * 100;
  return { tree, daemon };
}

/**
 * The computes of the ticks due inside [from, to − 500 ms] (epoch ms): the lateness (ms) of each,
 * how many ticks that is, and how many computes fell on a (sense, tick) already taken by another
 * (zero when every tick gives exactly one compute).
 */
export function lateness(ws, first, from, to) {
  const { stampDir, intervalMs } = ws;
  const firstTick = Math.ceil((from - first) / intervalMs);
  const lastTick = Math.floor((to - 500 - first) / intervalMs);
  const late = [];
  const seen = new Set();
  let repeated = 0;
  for (const file of readdirSync(stampDir)) {
    if (!file.endsWith(".txt")) continue;
    for (const line of readFileSync(join(stampDir, file), "utf8").split("\n")) {
      if (line === "") continue;
      const space = line.indexOf(" ");
      const t = Number(line.slice(0, space));
      const k = Math.round((t - first) / intervalMs);
      if (k < firstTick || k > lastTick) continue;
      const key = `${line.slice(space + 1)}@${k}`;
      if (seen.has(key)) repeated += 1;
      seen.add(key);
      late.push(t - (first + k * intervalMs));
    }
  }
  return { late, ticks: Math.max(0, lastTick - firstTick + 1), repeated };
}

/** Total size of the stamp files: it stops growing once no compute runs any more. */
function stampBytes(stampDir) {
  return readdirSync(stampDir)
    .filter((file) => file.endsWith(".txt"))
    .reduce((sum, file) => sum + statSync(join(stampDir, file)).size, 0);
}

/** Rewrites nerve.yaml without reflexes; resolves once the computes have stopped. */
export async function removeReflexes(ws) {
  writeFiles(ws.root, { "nerve.yaml": ws.yaml(false) });
  const deadline = Date.now() + 30_000;
  let last = -1;
  let stillFor = 0;
  while (stillFor < 1_000) {
    if (Date.now() > deadline) {
      throw new Error(
        "the computes did not stop within 30 s of removing the reflexes (hot reload)",
      );
    }
    await sleep(250);
    const bytes = stampBytes(ws.stampDir);
    stillFor = bytes === last ? stillFor + 250 : 0;
    last = bytes;
  }
}

/**
 * The same fan-out with nothing of Nerve: a bare process arms `senses` timers per deadline on an
 * `intervalMs` grid, each sends one fork IPC message to one of `groups` bare children, which note
 * how late it arrived. Resolves with {late: ms[], cpu: % of a core of its process tree}.
 */
export function bareFanOut({ senses, groups, intervalMs, windowMs }) {
  const args = [
    "--bare-fanout",
    String(senses),
    String(groups),
    String(intervalMs),
    String(windowMs),
  ];
  const child = fork(self, args, { stdio: "ignore" });
  let before = null;
  return new Promise((resolve, reject) => {
    child.on("message", (message) => {
      // Counted from once its children are up: the fan-out, not their start.
      if (message === "ready") {
        before = { at: performance.now(), tree: treeCpuByPid(child.pid) };
        return;
      }
      const seconds = (performance.now() - before.at) / 1_000;
      const used = treeCpuDelta(before.tree, treeCpuByPid(child.pid));
      resolve({ late: message, cpu: (used / seconds) * 100 });
    });
    child.once("exit", (code) => code !== 0 && reject(new Error(`bare fan-out exited ${code}`)));
  });
}

if (process.argv[2] === "--bare-fanout") {
  const [senses, groups, intervalMs, windowMs] = process.argv.slice(3).map(Number);
  const children = Array.from({ length: groups }, () =>
    fork(self, ["--bare-child"], { stdio: "ignore", serialization: "json" }),
  );
  await Promise.all(children.map((c) => new Promise((resolve) => c.once("message", resolve))));
  process.send("ready");
  // As the scheduler once did: a timer per sense and deadline, absolute deadlines on one grid.
  const origin = Date.now() + 200;
  const ticks = Math.max(1, Math.floor(windowMs / intervalMs));
  for (let k = 0; k < ticks; k += 1) {
    const deadline = origin + k * intervalMs;
    for (let i = 0; i < senses; i += 1) {
      setTimeout(() => children[i % groups].send({ deadline }), deadline - Date.now());
    }
  }
  setTimeout(
    async () => {
      const lists = await Promise.all(
        children.map((c) => {
          const answer = new Promise((resolve) => c.once("message", resolve));
          c.send({ done: true });
          return answer;
        }),
      );
      process.send(lists.flat(), () => process.exit(0));
    },
    origin + ticks * intervalMs - Date.now(),
  );
} else if (process.argv[2] === "--bare-child") {
  const late = [];
  process.on("message", (message) => {
    if (message.done) process.send(late, () => process.exit(0));
    else late.push(now() - message.deadline);
  });
  process.send("ready");
}
