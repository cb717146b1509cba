// scale.idle-cpu / scale.tick-lateness.p99: a daemon running 1,000 senses in 20 groups (20 worker
// processes), each on a 1 s interval reflex, every compute trivial (it returns null: no signal).
//
// scale.idle-cpu: CPU time (utime + stime of /proc/<pid>/stat) of the daemon process and all its
// descendants over a window after a warm-up, in % of one core. Baseline: the same daemon once
// nerve.yaml has been rewritten without the reflexes (hot reload: same workers, same senses,
// nothing scheduled), over a window after the computes stopped: the cost of simply being there.
// Target: <= 10 %.
//
// scale.tick-lateness.p99: how late interval computes start against their deadlines. All 1,000
// senses share one grid: scheduler start + k × 1 s (SPEC §5, no grace period); the daemon runs
// here through the same startDaemon() as apps/daemon/dist/main.js, in a forked host that reports
// the scheduler's start time (bench/lib/daemon-host.mjs). Each compute reads `performance.timeOrigin +
// performance.now()` first thing and keeps it in memory; each worker writes its batch to a file
// every 250 ms. Lateness = start − its deadline; the figure is the 99th percentile over every
// compute of the ticks due in the window (1,000 per tick). Baseline: the same fan-out with nothing
// of Nerve — a bare process arms 1,000 timers per deadline on a 1 s grid, each sends one fork IPC
// message to one of 20 bare children, which note how late it arrived — run while the daemon
// sits idle (after its reflexes are removed), so the two never compete. Target: <= 20 ms.
import { fork } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { percentile } from "./lib/measure.mjs";
import { cpuSeconds, treeCpuByPid, treeCpuDelta } from "./lib/proc.mjs";
import { makeWorkspace, nerveYaml, writeFiles } from "./lib/workspace.mjs";

export const figures = ["scale.idle-cpu", "scale.tick-lateness.p99"];

const SENSES = 1_000;
const GROUPS = 20;
const INTERVAL_MS = 1_000;
const host = fileURLToPath(new URL("./lib/daemon-host.mjs", import.meta.url));
const self = fileURLToPath(import.meta.url);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

function senseSource(stampDir) {
  return `type Stamps = { lines: string[] };
const g = globalThis as typeof globalThis & { __benchStamps?: Stamps };
if (g.__benchStamps === undefined) {
  const stamps: Stamps = { lines: [] };
  g.__benchStamps = stamps;
  const { appendFileSync } = await import("node:fs");
  const file = ${JSON.stringify(stampDir)} + "/" + process.pid + ".txt";
  setInterval(() => {
    if (stamps.lines.length === 0) return;
    appendFileSync(file, stamps.lines.join(""));
    stamps.lines = [];
  }, 250).unref();
}
const stamps = g.__benchStamps;

export function compute(ctx: { name: string }): null {
  stamps.lines.push(\`\${performance.timeOrigin + performance.now()} \${ctx.name}\\n\`);
  return null;
}
`;
}

function workspace() {
  const senses = {};
  const files = {};
  const ws = makeWorkspace("scale", {});
  const stampDir = join(ws.root, "stamps");
  for (let i = 0; i < SENSES; i += 1) {
    const name = `s${String(i).padStart(4, "0")}`;
    senses[name] = { group: `g${String(i % GROUPS).padStart(2, "0")}` };
    files[`senses/${name}/compute.ts`] = senseSource(stampDir);
  }
  const reflexes = Object.keys(senses).map((sense) => ({ sense, interval: "1s" }));
  const yaml = (withReflexes) => nerveYaml({ senses, reflexes: withReflexes ? reflexes : [] });
  files["nerve.yaml"] = yaml(true);
  files["stamps/.keep"] = "";
  writeFiles(ws.root, files);
  return { ...ws, stampDir, yaml };
}

async function startHost(root) {
  // NERVE_BENCH_DAEMON_ARGV: node flags for the daemon, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p".
  const execArgv = process.env.NERVE_BENCH_DAEMON_ARGV?.split(" ").filter(Boolean) ?? [];
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

/** % of one core used by the daemon's process tree over `windowMs`. */
async function cpuPercent(pid, windowMs) {
  const before = { tree: treeCpuByPid(pid), daemon: cpuSeconds(pid) };
  const start = performance.now();
  await sleep(windowMs);
  const seconds = (performance.now() - start) / 1_000;
  const tree = (treeCpuDelta(before.tree, treeCpuByPid(pid)) / seconds) * 100;
  const daemon = ((cpuSeconds(pid) - before.daemon) / seconds) * 100;
  return { tree, daemon };
}

/**
 * The computes of the ticks due inside [from, to − 500 ms] (epoch ms): the lateness (ms) of each,
 * how many ticks that is, and how many computes fell on a (sense, tick) already taken by another
 * (zero when every tick gives exactly one compute).
 */
function lateness(stampDir, first, from, to) {
  const firstTick = Math.ceil((from - first) / INTERVAL_MS);
  const lastTick = Math.floor((to - 500 - first) / INTERVAL_MS);
  const late = [];
  const seen = new Set();
  let repeated = 0;
  for (const file of readdirSync(stampDir)) {
    if (!file.endsWith(".txt")) continue;
    for (const line of readFileSync(join(stampDir, file), "utf8").split("\n")) {
      if (line === "") continue;
      const space = line.indexOf(" ");
      const t = Number(line.slice(0, space));
      const k = Math.round((t - first) / INTERVAL_MS);
      if (k < firstTick || k > lastTick) continue;
      const key = `${line.slice(space + 1)}@${k}`;
      if (seen.has(key)) repeated += 1;
      seen.add(key);
      late.push(t - (first + k * INTERVAL_MS));
    }
  }
  return { late, ticks: Math.max(0, lastTick - firstTick + 1), repeated };
}

/** Lateness (ms) of the bare fan-out (see the header) over `windowMs`. */
function bareFanOut(windowMs) {
  const child = fork(self, ["--bare-fanout", String(windowMs)], { stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => code !== 0 && reject(new Error(`bare fan-out exited ${code}`)));
  });
}

/** Total size of the stamp files: it stops growing once no compute runs any more. */
function stampBytes(stampDir) {
  return readdirSync(stampDir)
    .filter((file) => file.endsWith(".txt"))
    .reduce((sum, file) => sum + statSync(join(stampDir, file)).size, 0);
}

/** Rewrites nerve.yaml without reflexes; resolves once the computes have stopped. */
async function removeReflexes(ws) {
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

export default async function bench({ quick = false } = {}) {
  const warmupMs = quick ? 1_000 : 10_000;
  const windowMs = quick ? 2_500 : 30_000;
  const idleMs = quick ? 1_500 : 10_000;
  const ws = workspace();
  let daemon = null;
  try {
    const booting = performance.now();
    daemon = await startHost(ws.root);
    const startupMs = Math.round(performance.now() - booting);
    await sleep(warmupMs);
    const from = now();
    const cpu = await cpuPercent(daemon.pid, windowMs);
    const to = now();
    await sleep(600); // the workers' last batches of the window
    // grace_period 0: the first deadline is the scheduler's start itself.
    const { late, ticks, repeated } = lateness(ws.stampDir, daemon.startTime, from, to);
    const reloading = performance.now();
    await removeReflexes(ws);
    const reloadMs = Math.round(performance.now() - reloading);
    const [idleCpu, bare] = await Promise.all([cpuPercent(daemon.pid, idleMs), bareFanOut(idleMs)]);
    const expected = SENSES * ticks;
    if (ticks === 0 || late.length < expected * 0.9) {
      throw new Error(
        `only ${late.length} computes recorded for ${ticks} ticks, expected ${expected}`,
      );
    }
    const round = (x) => Math.round(x * 100) / 100;
    const p99 = percentile(late, 99);
    const bareP99 = percentile(bare, 99);
    const extra = {
      senses: SENSES,
      groups: GROUPS,
      intervalMs: INTERVAL_MS,
      windowMs,
      ticks,
      computes: late.length,
      missedComputes: expected - (late.length - repeated),
      repeatedComputes: repeated,
      startupMs,
      reloadMs,
    };
    return [
      {
        name: "scale.idle-cpu",
        value: round(cpu.tree),
        unit: "% of a core",
        baseline: "same daemon after its reflexes are removed",
        baselineValue: round(idleCpu.tree),
        ratio: idleCpu.tree > 0 ? round(cpu.tree / idleCpu.tree) : null,
        target: "<= 10 %",
        pass: cpu.tree <= 10,
        // Where it goes: the daemon's own process, the rest (workers, helpers).
        daemonCpu: round(cpu.daemon),
        workersCpu: round(cpu.tree - cpu.daemon),
        idleWindowMs: idleMs,
        ...extra,
      },
      {
        name: "scale.tick-lateness.p99",
        value: round(p99),
        unit: "ms",
        baseline: "bare fan-out: 1,000 timers per tick, fork IPC to 20 children",
        baselineValue: round(bareP99),
        ratio: bareP99 > 0 ? round(p99 / bareP99) : null,
        target: "<= 20 ms",
        pass: p99 <= 20,
        p50: round(percentile(late, 50)),
        max: round(late.reduce((a, b) => Math.max(a, b))),
        min: round(late.reduce((a, b) => Math.min(a, b))),
        baselineP50: round(percentile(bare, 50)),
        ...extra,
      },
    ];
  } finally {
    await daemon?.stop();
    ws.remove();
  }
}

if (process.argv[2] === "--bare-fanout") {
  const windowMs = Number(process.argv[3]);
  const children = Array.from({ length: GROUPS }, () =>
    fork(self, ["--bare-child"], { stdio: "ignore", serialization: "json" }),
  );
  await Promise.all(children.map((c) => new Promise((resolve) => c.once("message", resolve))));
  // As the scheduler does: a timer per sense and deadline, absolute deadlines on a 1 s grid.
  const origin = Date.now() + 200;
  const ticks = Math.max(1, Math.floor(windowMs / INTERVAL_MS));
  for (let k = 0; k < ticks; k += 1) {
    const deadline = origin + k * INTERVAL_MS;
    for (let i = 0; i < SENSES; i += 1) {
      setTimeout(() => children[i % GROUPS].send({ deadline }), deadline - Date.now());
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
    origin + ticks * INTERVAL_MS - Date.now(),
  );
} else if (process.argv[2] === "--bare-child") {
  const late = [];
  process.on("message", (message) => {
    if (message.done) process.send(late, () => process.exit(0));
    else late.push(now() - message.deadline);
  });
  process.send("ready");
}
