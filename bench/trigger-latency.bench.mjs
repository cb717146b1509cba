// trigger.latency.p50 / .p99: from writing a `trigger-sense` request on an open connection to a
// real daemon's socket until the sense's compute starts in its worker process.
//
// The daemon is `apps/daemon/dist/main.js` on a temp workspace (socket, watcher, one sense group
// of four probe senses). A probe's compute first reads the clock, then writes that time as a line
// to a socket of this process. Both clocks are `performance.timeOrigin + performance.now()` (the
// realtime clock at process start plus the monotonic clock since, in µs); two processes on one
// machine agree on it within a few µs, which `clockOffset` measures against a forked child the
// NTP way (offset at the fastest round trip). The next request goes out once the response and
// the timestamp are back and the probe that ran has had time to settle; probes take turns, so a
// trigger never waits behind the previous compute of its sense.
//
// Baseline: a bare Unix-socket round trip plus a bare fork IPC round trip, chained and
// measured whole — a bare newline-JSON server in a forked process that hands each request to its
// own forked child over fork IPC and answers once the child has answered. Its child also stamps
// the arrival time the same way, which gives the bare ONE-WAY latency (`bareOneWay`), the
// like-for-like floor of the figure. Blocks of the two alternate.
import { fork } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startDaemon, lineClient } from "./lib/daemon.mjs";
import { percentile } from "./lib/measure.mjs";
import { makeWorkspace, nerveYaml, writeFiles } from "./lib/workspace.mjs";

export const figures = ["trigger.latency.p50", "trigger.latency.p99"];

const PROBES = 4;
const now = () => performance.timeOrigin + performance.now();
const self = fileURLToPath(import.meta.url);

function probeSource(stampPath) {
  return `import { connect, type Socket } from "node:net";

let socket: Socket | null = null;

export function compute(): null {
  const start = performance.timeOrigin + performance.now();
  socket ??= connect(${JSON.stringify(stampPath)});
  socket.write(\`\${start}\\n\`);
  return null;
}
`;
}

/** A server that hands each timestamp line to the current waiter. */
function stampServer(path) {
  let waiter = null;
  const early = [];
  const server = createServer((socket) => {
    socket.setEncoding("utf8");
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const stamp = Number(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (waiter) {
          const resolve = waiter;
          waiter = null;
          resolve(stamp);
        } else early.push(stamp);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(path, () =>
      resolve({
        next: () =>
          early.length > 0
            ? Promise.resolve(early.shift())
            : new Promise((r) => {
                waiter = r;
              }),
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 1));

/** µs from write to compute start, `count` times, probes in turn. */
async function sampleNerve(client, stamps, count, into, turn) {
  for (let i = 0; i < count; i += 1) {
    const sense = `probe-${turn.value++ % PROBES}`;
    const line = `${JSON.stringify({ id: turn.value, type: "trigger-sense", sense })}\n`;
    const sent = now();
    const [answer, started] = await Promise.all([client.send(line), stamps.next()]);
    if (!answer.ok) throw new Error(`trigger-sense ${sense} failed: ${answer.error?.message}`);
    into.push((started - sent) * 1_000);
    await pause();
  }
}

/** The bare chain: round trip (socket + fork IPC) and the one-way time to the child. */
async function sampleBare(client, count, roundTrips, oneWays) {
  for (let i = 0; i < count; i += 1) {
    const line = `${JSON.stringify({ id: i, type: "trigger-sense", sense: "probe-0" })}\n`;
    const sent = now();
    const answer = await client.send(line);
    roundTrips.push((now() - sent) * 1_000);
    oneWays.push((answer.result.arrived - sent) * 1_000);
    await pause();
  }
}

/** Clock offset (µs) between this process and a forked child, at the fastest of 200 round trips. */
async function clockOffset(relay) {
  let best = null;
  for (let i = 0; i < 200; i += 1) {
    const t0 = now();
    const t1 = await new Promise((resolve) => {
      relay.once("message", (m) => resolve(m.now));
      relay.send({ clock: true });
    });
    const t3 = now();
    if (best === null || t3 - t0 < best.rtt) best = { rtt: t3 - t0, offset: t1 - (t0 + t3) / 2 };
  }
  return Math.round(best.offset * 10_000) / 10;
}

export default async function bench({ quick = false } = {}) {
  const blocks = quick ? 4 : 20;
  const perBlock = quick ? 100 : 200;
  const probes = {};
  for (let i = 0; i < PROBES; i += 1) probes[`probe-${i}`] = { group: "probes" };
  const workspace = makeWorkspace("trigger", { "nerve.yaml": nerveYaml({ senses: probes }) });
  const stampFile = join(workspace.root, "stamps.sock");
  for (let i = 0; i < PROBES; i += 1) {
    writeFiles(workspace.root, { [`senses/probe-${i}/compute.ts`]: probeSource(stampFile) });
  }
  const relay = fork(self, ["--relay", join(workspace.root, "bare.sock")], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  let daemon = null;
  let stamps = null;
  let bare = null;
  try {
    await new Promise((resolve, reject) => {
      relay.once("message", resolve);
      relay.once("exit", (code) => reject(new Error(`the bare relay exited with ${code}`)));
    });
    stamps = await stampServer(stampFile);
    daemon = await startDaemon(workspace.root);
    bare = await lineClient(join(workspace.root, "bare.sock"));
    const turn = { value: 0 };
    // Warm-up: JIT on both sides, the probes' connections.
    await sampleNerve(daemon.client, stamps, quick ? 100 : 200, [], turn);
    await sampleBare(bare, quick ? 100 : 200, [], []);
    const nerve = [];
    const roundTrips = [];
    const oneWays = [];
    for (let block = 0; block < blocks; block += 1) {
      await sampleNerve(daemon.client, stamps, perBlock, nerve, turn);
      await sampleBare(bare, perBlock, roundTrips, oneWays);
    }
    const offset = await clockOffset(relay);
    const row = (name, p, target) => {
      const value = percentile(nerve, p);
      const baselineValue = percentile(roundTrips, p);
      return {
        name,
        value: Math.round(value),
        unit: "µs",
        baseline: "bare socket round trip + fork IPC round trip",
        baselineValue: Math.round(baselineValue),
        ratio: Math.round((value / baselineValue) * 100) / 100,
        target: `<= ${target} µs`,
        pass: value <= target,
        samples: nerve.length,
        bareOneWay: Math.round(percentile(oneWays, p)),
        clockOffsetUs: offset,
      };
    };
    return [row("trigger.latency.p50", 50, 500), row("trigger.latency.p99", 99, 3_000)];
  } finally {
    bare?.close();
    await daemon?.stop();
    await stamps?.close();
    if (relay.exitCode === null && relay.signalCode === null) {
      const exited = new Promise((resolve) => relay.once("exit", resolve));
      relay.send({ exit: true });
      await exited;
    }
    workspace.remove();
  }
}

/** The bare relay: a newline-JSON server whose every request makes a fork IPC round trip. */
async function runRelay(path) {
  rmSync(path, { force: true });
  const child = fork(self, ["--relay-child"], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise((resolve) => child.once("message", resolve));
  const waiting = [];
  child.on("message", (message) => waiting.shift()?.(message));
  const server = createServer((socket) => {
    socket.setEncoding("utf8");
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const request = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        new Promise((resolve) => {
          waiting.push(resolve);
          child.send({ cmd: "compute", requestId: request.id, value: { sense: request.sense } });
        }).then((answer) => {
          socket.write(
            `${JSON.stringify({ id: request.id, ok: true, result: { accepted: true, arrived: answer.arrived } })}\n`,
          );
        });
      }
    });
    socket.on("error", () => undefined);
  });
  server.listen(path, () => process.send("ready"));
  process.on("message", (message) => {
    if (message.clock) process.send({ now: now() });
    if (message.exit) {
      child.kill();
      server.close();
      process.exit(0);
    }
  });
}

if (process.argv[2] === "--relay") {
  await runRelay(process.argv[3]);
} else if (process.argv[2] === "--relay-child") {
  process.on("message", (message) => {
    const arrived = now();
    process.send({ requestId: message.requestId, arrived });
  });
  process.on("disconnect", () => process.exit(0));
  process.send("ready");
}
