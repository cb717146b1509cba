// The start-up of a daemon with many senses, alone: for each size a fleet workspace
// (bench/lib/sense-fleet.mjs, 100 senses per group), a cold start (nothing built yet) and a warm
// start (the build manifests of the cold one present), each timed from the fork of the daemon
// host to its ready message, with the CPU time the daemon's process and its process tree used meanwhile.
//   node bench/lib/startup-senses.mjs 100 1000 10000
// NERVE_BENCH_DAEMON_DIST=<other checkout>/apps/daemon/dist runs another build, for A/B runs.
// NERVE_BENCH_DAEMON_ARGV (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p") profiles the daemon.
// Prints one JSON line per start: {senses, start: "cold" | "warm", startupMs, daemonCpuS, treeCpuS}.
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { cpuSeconds, treeCpuByPid } from "./proc.mjs";
import { fleetWorkspace, startHost } from "./sense-fleet.mjs";

const { positionals } = parseArgs({ allowPositionals: true });
const sizes = positionals.length > 0 ? positionals.map(Number) : [100, 1_000];
const PER_GROUP = 100;
const round = (x) => Math.round(x * 100) / 100;

async function timedStart(root) {
  const booting = performance.now();
  const daemon = await startHost(root);
  const startupMs = Math.round(performance.now() - booting);
  const daemonCpuS = round(cpuSeconds(daemon.pid));
  // The workers and esbuild's service, still running at ready.
  const treeCpuS = round([...treeCpuByPid(daemon.pid).values()].reduce((a, b) => a + b, 0));
  await daemon.stop();
  return { startupMs, daemonCpuS, treeCpuS };
}

for (const senses of sizes) {
  const groups = Math.max(1, Math.ceil(senses / PER_GROUP));
  // A long interval: the computes stay out of the start-up's way.
  const ws = fleetWorkspace(`startup-${senses}`, { senses, groups, intervalMs: 600_000 });
  try {
    for (const start of ["cold", "warm"]) {
      const timing = await timedStart(ws.root);
      process.stdout.write(`${JSON.stringify({ senses, start, ...timing })}\n`);
    }
  } finally {
    ws.remove();
  }
}
