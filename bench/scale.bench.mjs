// scale.idle-cpu / scale.tick-lateness.p99: a daemon running 1,000 senses in 20 groups (20 worker
// processes), each on a 1 s interval reflex, every compute trivial (it returns null: no signal).
//
// scale.idle-cpu: CPU time (utime + stime of /proc/<pid>/stat) of the daemon process and all its
// descendants over a window after a warm-up, in % of one core. Baseline: the same daemon once
// nerve.yaml has been rewritten without the reflexes (hot reload: same workers, same senses,
// nothing scheduled), over a window after the computes stopped: the cost of simply being there.
// Target: <= 5 %.
//
// scale.tick-lateness.p99: how late interval computes start against their deadlines. All 1,000
// senses share one grid: scheduler start + k × 1 s (SPEC §5, no grace period); the daemon runs
// here through the same startDaemon() as apps/daemon/dist/main.js, in a forked host that reports
// the scheduler's start time (bench/lib/daemon-host.mjs). Each compute reads `performance.timeOrigin +
// performance.now()` first thing and keeps it in memory; each worker writes its batch to a file
// 250 ms after the first stamp of the batch. Lateness = start − its deadline; the figure is the 99th percentile over every
// compute of the ticks due in the window (1,000 per tick). Baseline: the same fan-out with nothing
// of Nerve — a bare process arms 1,000 timers per deadline on a 1 s grid, each sends one fork IPC
// message to one of 20 bare children, which note how late it arrived — run while the daemon
// sits idle (after its reflexes are removed), so the two never compete. Target: <= 20 ms and at
// most 1.5 × the bare fan-out.
import { performance } from "node:perf_hooks";
import { percentile } from "./lib/measure.mjs";
import {
  bareFanOut,
  cpuPercent,
  fleetWorkspace,
  lateness,
  now,
  removeReflexes,
  sleep,
  startHost,
} from "./lib/sense-fleet.mjs";

export const figures = ["scale.idle-cpu", "scale.tick-lateness.p99"];

const SENSES = 1_000;
const GROUPS = 20;
const INTERVAL_MS = 1_000;

export default async function bench({ quick = false } = {}) {
  const warmupMs = quick ? 1_000 : 10_000;
  const windowMs = quick ? 2_500 : 30_000;
  const idleMs = quick ? 1_500 : 10_000;
  const ws = fleetWorkspace("scale", { senses: SENSES, groups: GROUPS, intervalMs: INTERVAL_MS });
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
    const { late, ticks, repeated } = lateness(ws, daemon.startTime, from, to);
    const reloading = performance.now();
    await removeReflexes(ws);
    const reloadMs = Math.round(performance.now() - reloading);
    const [idleCpu, { late: bare }] = await Promise.all([
      cpuPercent(daemon.pid, idleMs),
      bareFanOut({ senses: SENSES, groups: GROUPS, intervalMs: INTERVAL_MS, windowMs: idleMs }),
    ]);
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
        target: "<= 5 %",
        pass: cpu.tree <= 5,
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
        target: "<= 20 ms and <= 1.5 × baseline",
        pass: p99 <= 20 && p99 <= 1.5 * bareP99,
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
