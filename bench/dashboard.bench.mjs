// dashboard.sse-latency.p50 / .p99: from a sense's compute creating a signal (its payload holds
// the time) until an open dashboard event stream (`/api/events?topics=signal`) delivers it to a
// client in this process: the log commit, the signal bus, the feed and one HTTP hop. Computes
// are asked one at a time over the socket (`trigger-sense`), so each signal travels alone. Both
// clocks are `performance.timeOrigin + performance.now()`, as in trigger-latency.
// Baseline: a bare Server-Sent Events hop — a forked child stamps the time and writes the event
// to an open HTTP response; this process receives it — measured the same way.
//
// dashboard.idle-cost: the daemon's CPU (its own process, % of one core) over a window with
// five open event streams (every topic) against the same window with none, on a workspace
// whose one sense signals every second.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, get } from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startDaemon } from "./lib/daemon.mjs";
import { percentile } from "./lib/measure.mjs";
import { cpuSeconds } from "./lib/proc.mjs";
import { makeWorkspace } from "./lib/workspace.mjs";

export const figures = [
  "dashboard.sse-latency.p50",
  "dashboard.sse-latency.p99",
  "dashboard.idle-cost",
];

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const self = fileURLToPath(import.meta.url);

const FILES = {
  "nerve.yaml": [
    "dashboard:",
    "  port: 0",
    "senses:",
    "  probe: {}",
    "  tick: {}",
    "reflexes:",
    "  - kind: sense",
    "    sense: tick",
    "    interval: 1s",
    "",
  ].join("\n"),
  "senses/probe/compute.ts":
    "export const compute = () => ({ t: performance.timeOrigin + performance.now() });\n",
  "senses/tick/compute.ts": "let n = 0;\nexport const compute = () => ({ n: ++n });\n",
};

/** An SSE client: calls `onEvent(name, data, receivedAt)` per event; `close()` ends it. */
function sseClient(url, headers, onEvent) {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`${url}: HTTP ${response.statusCode}`));
        return;
      }
      response.setEncoding("utf8");
      let buffered = "";
      response.on("data", (chunk) => {
        const at = now();
        buffered += chunk;
        let end;
        while ((end = buffered.indexOf("\n\n")) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data) onEvent(name, data, at);
        }
      });
      resolve({ close: () => request.destroy() });
    });
    request.on("error", reject);
  });
}

async function sseLatency(daemon, url, headers, count) {
  let waiter = null;
  const client = await sseClient(
    `${url}api/events?topics=signal&sense=probe`,
    headers,
    (name, data, at) => {
      if (name !== "signal") return;
      const sent = JSON.parse(data).payload.t;
      waiter?.(at - sent);
      waiter = null;
    },
  );
  const samples = [];
  try {
    await sleep(200);
    for (let i = 0; i < count; i += 1) {
      const arrived = new Promise((resolve) => (waiter = resolve));
      await daemon.client.request("trigger-sense", { sense: "probe" });
      samples.push(await arrived);
    }
  } finally {
    client.close();
  }
  return samples;
}

/** The bare hop: a forked child holding an SSE response open, stamping and writing on demand. */
async function bareLatency(count) {
  const child = fork(self, ["--sse-child"], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const port = await new Promise((resolve) => child.once("message", resolve));
  let waiter = null;
  const client = await sseClient(`http://127.0.0.1:${port}/`, {}, (_name, data, at) => {
    waiter?.(at - JSON.parse(data).t);
    waiter = null;
  });
  const samples = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const arrived = new Promise((resolve) => (waiter = resolve));
      child.send("go");
      samples.push(await arrived);
      await sleep(2);
    }
  } finally {
    client.close();
    child.kill();
  }
  return samples;
}

async function cpuPercent(pid, ms) {
  const before = cpuSeconds(pid);
  const start = performance.now();
  await sleep(ms);
  return ((cpuSeconds(pid) - before) / ((performance.now() - start) / 1000)) * 100;
}

export default async function bench({ quick = false } = {}) {
  const count = quick ? 60 : 400;
  const windowMs = quick ? 4_000 : 15_000;
  const workspace = makeWorkspace("dashboard", FILES);
  let daemon = null;
  try {
    daemon = await startDaemon(workspace.root);
    const url = daemon.health.dashboard?.url;
    if (!url) throw new Error("the daemon did not report a dashboard address");
    const token = readFileSync(join(workspace.root, "data", "dashboard.token"), "utf8").trim();
    const headers = { authorization: `Bearer ${token}` };

    await sseLatency(daemon, url, headers, 10); // warm-up
    const sse = await sseLatency(daemon, url, headers, count);
    const bare = await bareLatency(count);
    const us = (ms) => Math.round(ms * 1000) / 1000;
    const rows = [50, 99].map((p) => {
      const value = percentile(sse, p);
      const baselineValue = percentile(bare, p);
      return {
        name: `dashboard.sse-latency.p${p}`,
        value: us(value),
        unit: "ms",
        baseline: "bare SSE hop between two processes",
        baselineValue: us(baselineValue),
        ratio: Math.round((value / baselineValue) * 100) / 100,
        target: null,
        pass: null,
        samples: sse.length,
      };
    });

    await sleep(1_000);
    const idle = await cpuPercent(daemon.pid, windowMs);
    const clients = [];
    for (let i = 0; i < 5; i += 1) {
      clients.push(
        await sseClient(`${url}api/events?topics=signal,log,stats`, headers, () => undefined),
      );
    }
    await sleep(1_000);
    const open = await cpuPercent(daemon.pid, windowMs);
    for (const client of clients) client.close();
    const round = (x) => Math.round(x * 100) / 100;
    rows.push({
      name: "dashboard.idle-cost",
      value: round(open),
      unit: "% CPU",
      baseline: "the same daemon with no stream open",
      baselineValue: round(idle),
      ratio: idle > 0 ? round(open / idle) : null,
      target: null,
      pass: null,
      streams: 5,
      windowMs,
    });
    return rows;
  } finally {
    await daemon?.stop();
    workspace.remove();
  }
}

if (process.argv[2] === "--sse-child") {
  let response = null;
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    res.flushHeaders();
    res.socket.setNoDelay(true);
    response = res;
  });
  server.listen(0, "127.0.0.1", () => process.send(server.address().port));
  process.on("message", () => {
    response?.write(`event: signal\ndata: ${JSON.stringify({ t: now() })}\n\n`);
  });
  process.on("disconnect", () => process.exit(0));
}
