// daemon.memory.pss: the memory a running daemon costs the machine — the proportional set size
// (Pss of /proc/<pid>/smaps_rollup: private pages plus each shared page divided by the number of
// processes sharing it) of the daemon process and all its descendants (sense group workers,
// workflow workers, helper processes), summed. The daemon is `apps/daemon/dist/main.js` on a temp
// copy of examples/quickstart, measured once its groups
// are up and it has settled, several times, median taken.
//
// Baseline: an idle `node -e "setInterval(() => {}, 1000)"` running at the same time (so both
// see the same page sharing), measured the same way. Target: <= 90 MiB (daemon, one sense group,
// one workflow worker: the quickstart).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startDaemon } from "./lib/daemon.mjs";
import { median } from "./lib/measure.mjs";
import { descendants, pssByProcess, smapsMiB, treePssMiB } from "./lib/proc.mjs";
import { copyWorkspace } from "./lib/workspace.mjs";

export const figures = ["daemon.memory.pss"];

const example = fileURLToPath(new URL("../examples/quickstart", import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function sumOver(pids, field) {
  let total = 0;
  for (const pid of pids) {
    try {
      total += smapsMiB(pid, field);
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

export default async function bench({ quick = false } = {}) {
  const settleMs = quick ? 1_000 : 6_000;
  const samples = quick ? 3 : 7;
  const workspace = copyWorkspace("memory", example);
  const idle = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  let daemon = null;
  try {
    daemon = await startDaemon(workspace.root);
    await sleep(settleMs);
    const pss = [];
    const baseline = [];
    const rss = [];
    const privateMiB = [];
    let processes = 0;
    for (let i = 0; i < samples; i += 1) {
      const tree = treePssMiB(daemon.pid);
      pss.push(tree.mib);
      processes = tree.processes;
      const pids = [daemon.pid, ...descendants(daemon.pid)];
      rss.push(sumOver(pids, "Rss"));
      privateMiB.push(sumOver(pids, "Private"));
      baseline.push(smapsMiB(idle.pid, "Pss"));
      await sleep(quick ? 250 : 500);
    }
    const round = (x) => Math.round(x * 10) / 10;
    const value = median(pss);
    const baselineValue = median(baseline);
    return [
      {
        name: "daemon.memory.pss",
        value: round(value),
        unit: "MiB",
        baseline: 'idle node -e "setInterval(() => {}, 1000)"',
        baselineValue: round(baselineValue),
        ratio: Math.round((value / baselineValue) * 100) / 100,
        target: "<= 90 MiB",
        pass: value <= 90,
        processes,
        groups: daemon.health.groups.length,
        workflows: daemon.health.workflows?.length ?? 0,
        rssMiB: round(median(rss)),
        privateMiB: round(median(privateMiB)),
        pssByProcess: pssByProcess(daemon.pid, "daemon"),
      },
    ];
  } finally {
    await daemon?.stop();
    idle.kill();
    workspace.remove();
  }
}
