// Process figures from /proc (Linux): CPU ticks, memory, descendants.
import { readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";

let clockTicks = null;

/** Clock ticks per second of /proc/<pid>/stat times (getconf CLK_TCK, 100 on Linux). */
export function ticksPerSecond() {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Field 2 (the command name) may hold spaces and parentheses: split after its last ")".
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU seconds (user + system) a process has used so far, or 0 once it is gone. */
export function cpuSeconds(pid) {
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return 0;
  }
}

/** Pids of the live descendants of `pid` (children, grandchildren, ...). */
export function descendants(pid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parents.set(Number(entry), Number(statFields(entry)[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** A field of /proc/<pid>/smaps_rollup in MiB (`Pss`, `Rss`, or every `Private_*` for "Private"). */
export function smapsMiB(pid, field) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const pattern =
    field === "Private"
      ? /^Private_\w+:\s+(\d+) kB/gm
      : new RegExp(`^${field}:\\s+(\\d+) kB`, "gm");
  let kib = 0;
  for (const match of text.matchAll(pattern)) kib += Number(match[1]);
  return kib / 1024;
}

/** Proportional set size of `pid` and all its descendants, in MiB, and how many processes. */
export function treePssMiB(pid) {
  const pids = [pid, ...descendants(pid)];
  let total = 0;
  for (const p of pids) {
    try {
      total += smapsMiB(p, "Pss");
    } catch {
      // Gone meanwhile.
    }
  }
  return { mib: total, processes: pids.length };
}

/** CPU seconds of `pid` and of each of its live descendants, by pid. */
export function treeCpuByPid(pid) {
  return new Map([pid, ...descendants(pid)].map((p) => [p, cpuSeconds(p)]));
}

/**
 * CPU seconds the tree used between two {@link treeCpuByPid} samples: each process alive at the
 * end counts what it used since the first sample (all of it if it started since). A process
 * that exited in between (esbuild's service, stopped once idle) drops out of both sides rather
 * than making the sum fall.
 */
export function treeCpuDelta(before, after) {
  let seconds = 0;
  for (const [p, used] of after) seconds += used - (before.get(p) ?? 0);
  return seconds;
}

/** What a process of a tree is, from its command line: `rootName` for `rootPid`, else its script. */
function processRole(pid, rootPid, rootName) {
  if (pid === rootPid) return rootName;
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const file = argv.find((arg) => /\.(m?js|cjs)$/.test(arg)) ?? argv[0];
    return (file.split("/").pop() ?? "?").replace(/\.(m?js|cjs)$/, "");
  } catch {
    return "gone";
  }
}

/** Pss in MiB per kind of process of the tree under `rootPid` (root, sense-worker, esbuild...). */
export function pssByProcess(rootPid, rootName = "root") {
  const parts = {};
  for (const pid of [rootPid, ...descendants(rootPid)]) {
    try {
      const name = processRole(pid, rootPid, rootName);
      parts[name] = Math.round(((parts[name] ?? 0) + smapsMiB(pid, "Pss")) * 10) / 10;
    } catch {
      // Gone meanwhile.
    }
  }
  return parts;
}
