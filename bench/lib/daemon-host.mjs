// A daemon process for benchmarks that need to look inside: the same startDaemon() that
// apps/daemon/dist/main.js runs (socket, watcher, workers), forked with an IPC channel so that it
// can report its scheduler's start time (the origin of every interval's deadlines).
//   fork("bench/lib/daemon-host.mjs", ["--root", DIR]) → {ready, pid, startTime}; send "stop".
// NERVE_BENCH_DAEMON_DIST: another build's apps/daemon/dist folder to run (for A/B runs).
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const dist = process.env.NERVE_BENCH_DAEMON_DIST;
const from = (file) =>
  dist === undefined
    ? new URL(`../../apps/daemon/dist/${file}`, import.meta.url).href
    : pathToFileURL(join(dist, file)).href;
const { startDaemon } = await import(from("index.js"));
const { ReflexScheduler } = await import(from("reflex/index.js"));

const { values } = parseArgs({ options: { root: { type: "string" } }, strict: true });
try {
  const daemon = await startDaemon({ root: values.root }, { handleSignals: true });
  process.send({
    ready: true,
    pid: process.pid,
    startTime: daemon.app.get(ReflexScheduler).startTime,
  });
  process.on("message", (message) => {
    if (message === "stop") void daemon.stop("bench");
  });
  await daemon.stopped;
  process.exit(0);
} catch (error) {
  process.send({ ready: false, error: error instanceof Error ? error.stack : String(error) });
  process.exit(1);
}
