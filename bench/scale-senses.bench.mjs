// scale.senses: the scale curve — 100, 1,000 and 10,000 senses (100 senses per group: 1, 10 and
// 100 worker processes; 10,000 left out with --quick), each on a 1 s interval reflex, every
// compute trivial (it returns null).
// For each size a fresh daemon runs the fleet (bench/lib/sense-fleet.mjs) for a short window
// after a warm-up, then stops; three rows per size:
//
// scale.senses.<n>.cpu: CPU time of the daemon's process tree over the window, in % of one core
//   (`perThousand`: the same per 1,000 senses). Baseline: the bare fan-out of the same size (its
//   process tree), run once the daemon has stopped.
// scale.senses.<n>.pss: proportional set size of the daemon and all its workers, MiB, sampled in
//   the middle of the window (`perSenseKiB`: the part above the 100-sense run, per sense added).
// scale.senses.<n>.tick-lateness.p99: how late computes start against their deadlines, as
//   scale.tick-lateness.p99. Baseline: the bare fan-out of the same size.
//
// No targets: the curve is for reading where the cost per sense bends (docs/PERFORMANCE.md).
import { performance } from "node:perf_hooks";
import { percentile } from "./lib/measure.mjs";
import { pssByProcess, treePssMiB } from "./lib/proc.mjs";
import {
  bareFanOut,
  cpuPercent,
  fleetWorkspace,
  lateness,
  now,
  sleep,
  startHost,
} from "./lib/sense-fleet.mjs";

// --quick (run-one's flag; about a minute for every file) leaves out the 10,000-sense fleet, whose
// start alone takes minutes.
const QUICK = process.argv.includes("--quick");
const SIZES = QUICK ? [100, 1_000] : [100, 1_000, 10_000];
const PER_GROUP = 100;
const INTERVAL_MS = 1_000;

export const figures = SIZES.flatMap((n) => [
  `scale.senses.${n}.cpu`,
  `scale.senses.${n}.pss`,
  `scale.senses.${n}.tick-lateness.p99`,
]);

const round = (x) => Math.round(x * 100) / 100;

/** One size: a daemon with `senses` senses for `windowMs` after `warmupMs`, then its bare fan-out. */
async function measure(senses, { warmupMs, windowMs }) {
  const groups = Math.max(1, Math.ceil(senses / PER_GROUP));
  const ws = fleetWorkspace(`scale-${senses}`, { senses, groups, intervalMs: INTERVAL_MS });
  let daemon = null;
  try {
    const booting = performance.now();
    daemon = await startHost(ws.root);
    const startupMs = Math.round(performance.now() - booting);
    await sleep(warmupMs);
    const from = now();
    const cpuDuring = cpuPercent(daemon.pid, windowMs);
    await sleep(windowMs / 2);
    const pss = treePssMiB(daemon.pid);
    const pssParts = pssByProcess(daemon.pid, "daemon");
    const cpu = await cpuDuring;
    const to = now();
    await sleep(600); // the workers' last batches of the window
    const { late, ticks, repeated } = lateness(ws, daemon.startTime, from, to);
    await daemon.stop();
    daemon = null;
    const bare = await bareFanOut({ senses, groups, intervalMs: INTERVAL_MS, windowMs });
    const expected = senses * ticks;
    if (ticks === 0 || late.length < expected * 0.9) {
      throw new Error(
        `${senses} senses: only ${late.length} computes recorded for ${ticks} ticks, expected ${expected}`,
      );
    }
    return {
      senses,
      groups,
      startupMs,
      ticks,
      computes: late.length,
      missedComputes: expected - (late.length - repeated),
      cpu,
      pss: pss.mib,
      processes: pss.processes,
      pssParts,
      p99: percentile(late, 99),
      p50: percentile(late, 50),
      max: late.reduce((a, b) => Math.max(a, b)),
      bareP99: percentile(bare.late, 99),
      bareCpu: bare.cpu,
    };
  } finally {
    await daemon?.stop();
    ws.remove();
  }
}

export default async function bench({ quick = false } = {}) {
  const warmupMs = quick ? 1_500 : 4_000;
  const windowMs = quick ? 3_000 : 12_000;
  const runs = [];
  for (const senses of SIZES) {
    // The largest fleet takes longest to settle (100 workers starting on a shared machine).
    const warm = senses >= 10_000 ? warmupMs * 2 : warmupMs;
    runs.push(await measure(senses, { warmupMs: warm, windowMs }));
  }
  const smallest = runs[0];
  const rows = [];
  for (const run of runs) {
    const common = {
      senses: run.senses,
      groups: run.groups,
      intervalMs: INTERVAL_MS,
      windowMs,
      ticks: run.ticks,
      computes: run.computes,
      missedComputes: run.missedComputes,
      startupMs: run.startupMs,
    };
    const added = run.senses - smallest.senses;
    rows.push(
      {
        name: `scale.senses.${run.senses}.cpu`,
        value: round(run.cpu.tree),
        unit: "% of a core",
        baseline: "bare fan-out of the same size",
        baselineValue: round(run.bareCpu),
        ratio: run.bareCpu > 0 ? round(run.cpu.tree / run.bareCpu) : null,
        target: null,
        pass: null,
        perThousand: round((run.cpu.tree / run.senses) * 1_000),
        daemonCpu: round(run.cpu.daemon),
        workersCpu: round(run.cpu.tree - run.cpu.daemon),
        ...common,
      },
      {
        name: `scale.senses.${run.senses}.pss`,
        value: round(run.pss),
        unit: "MiB",
        baseline: null,
        baselineValue: null,
        ratio: null,
        target: null,
        pass: null,
        processes: run.processes,
        perSenseKiB: added > 0 ? round(((run.pss - smallest.pss) * 1_024) / added) : null,
        pssByProcess: run.pssParts,
        ...common,
      },
      {
        name: `scale.senses.${run.senses}.tick-lateness.p99`,
        value: round(run.p99),
        unit: "ms",
        baseline: "bare fan-out of the same size",
        baselineValue: round(run.bareP99),
        ratio: run.bareP99 > 0 ? round(run.p99 / run.bareP99) : null,
        target: null,
        pass: null,
        p50: round(run.p50),
        max: round(run.max),
        ...common,
      },
    );
  }
  return rows;
}
