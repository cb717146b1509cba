#!/usr/bin/env node
// Nerve beside a peer: the same chain — a source emitting N messages through two hops — in
// Node-RED 4 (nothing persisted) and in Nerve (every signal logged and committed), side by side:
// messages per second and memory, one table, bench/peers-results.json.
//   npm run bench:peers              installs Node-RED into bench/peers, then runs this
//   node bench/peers/run.mjs --quick shorter rounds
//
// Each system runs in its own process (bench/peers/node-red-chain.mjs, nerve-chain.mjs); rounds
// alternate between them so that machine noise hits all alike; medians are reported. Memory is
// the Pss (and Rss) summed over each system's process tree after the rounds, all of them alive.
import { fork } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median } from "../lib/measure.mjs";
import { descendants, pssByProcess, smapsMiB } from "../lib/proc.mjs";
import { formatPeers } from "../lib/table.mjs";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const quick = process.argv.includes("--quick");
const COUNT = quick ? 10_000 : 50_000;
const ROUNDS = quick ? 3 : 5;

const SYSTEMS = [
  {
    name: "node-red",
    label: "Node-RED (function nodes, in memory)",
    file: "./node-red-chain.mjs",
    args: [],
    persisted: "nothing",
  },
  {
    name: "nerve.chains",
    label: "Nerve, 64 chains (a compute per hop)",
    file: "./nerve-chain.mjs",
    args: ["chains"],
    persisted: "every signal",
  },
  {
    name: "nerve.single",
    label: "Nerve, one chain (src back to back)",
    file: "./nerve-chain.mjs",
    args: ["single"],
    persisted: "every signal",
  },
];

if (!existsSync(here("./node_modules/node-red/package.json"))) {
  process.stderr.write(
    "bench:peers: Node-RED is not installed in bench/peers; run `npm run bench:peers`, which installs it\n",
  );
  process.exit(1);
}

function start(system) {
  const child = fork(here(system.file), system.args, {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = () =>
    new Promise((resolve, reject) => {
      const onExit = (code) => reject(new Error(`${system.name} exited with code ${code}`));
      child.once("exit", onExit);
      child.once("message", (message) => {
        child.off("exit", onExit);
        resolve(message);
      });
    });
  return {
    system,
    child,
    ready: next(),
    async round(count) {
      const answer = next();
      child.send({ round: count });
      return (await answer).result;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ exit: true });
      await exited;
    },
  };
}

function memory(pid) {
  const pids = [pid, ...descendants(pid)];
  const sum = (field) => pids.reduce((total, p) => total + smapsMiB(p, field), 0);
  return { pss: sum("Pss"), rss: sum("Rss"), processes: pids.length };
}

const runners = SYSTEMS.map(start);
try {
  const versions = {};
  for (const runner of runners) versions[runner.system.name] = (await runner.ready).version;
  for (const runner of runners) await runner.round(Math.min(COUNT, 5_000)); // warm-up
  const rounds = new Map(runners.map((runner) => [runner.system.name, []]));
  for (let i = 0; i < ROUNDS; i += 1) {
    for (const runner of runners) rounds.get(runner.system.name).push(await runner.round(COUNT));
  }
  const results = runners.map((runner) => {
    const list = rounds.get(runner.system.name);
    const mem = memory(runner.child.pid);
    const round = (x) => Math.round(x * 10) / 10;
    return {
      name: `peers.${runner.system.name}`,
      system: runner.system.label,
      version: versions[runner.system.name] ?? null,
      messagesPerSecond: Math.round(median(list.map((r) => r.rate))),
      computesPerMessage: round(median(list.map((r) => r.computes / COUNT))),
      rowsLoggedPerMessage: round(median(list.map((r) => r.rowsLogged / COUNT))),
      persisted: runner.system.persisted,
      pssMiB: round(mem.pss),
      rssMiB: round(mem.rss),
      processes: mem.processes,
      pssByProcess: pssByProcess(
        runner.child.pid,
        runner.system.name.startsWith("nerve") ? "engine" : "node-red",
      ),
      messagesPerRound: COUNT,
      rounds: list.map((r) => Math.round(r.rate)),
    };
  });
  // Lists of numbers on one line, as Prettier prints them: the file passes `prettier --check`.
  const json = JSON.stringify(results, null, 2).replace(
    /\[\s+([-\d.,\s]+?)\s+\]/g,
    (_, list) => `[${list.split(/,\s*/).join(", ")}]`,
  );
  writeFileSync(here("../peers-results.json"), `${json}\n`);
  process.stdout.write(`${formatPeers(results)}\n`);
  process.stderr.write(
    `bench:peers: ${COUNT.toLocaleString("en-US")} messages × ${ROUNDS} rounds each, ` +
      `medians; results in bench/peers-results.json\n`,
  );
} finally {
  await Promise.all(runners.map((runner) => runner.stop()));
}
