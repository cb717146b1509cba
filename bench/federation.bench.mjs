// federation.signal-latency.p50 / .p99 and federation.throughput: signals of daemon A reaching
// daemon B over a real nats-server (JetStream), beside a bare JetStream publish → consume on the
// same server in the same run.
//
// Setup (once): one nats-server (`-js`, free loopback port, temp store); daemon B is
// `apps/daemon/dist/main.js` on a temp workspace (a real process); daemon A is the engine in this
// process (NerveModule.forRoot, as bench/signal-throughput does), so that the benchmark can
// trigger A's senses and hear A's signal bus without a socket in the way. Both have a
// `federation` block; A publishes every sense. B connects first (its durable consumer must
// exist before A's first signal).
//
// Latency: A's sense `ping` puts the clock (`performance.timeOrigin + performance.now()`) in its
// signal's payload as the last thing its compute does; B's sense `probe` (`on: [a/ping]`) reads
// the same clock first thing and writes the difference to a socket of this process. The chain
// in between: A's worker → A's log commit and outbox → publish → B's consumer → B's log commit →
// B's scheduler → B's worker. One ping at a time; the next goes out 1 ms after the previous
// arrived.
// Bare latency: a child process of this file consumes a stream with the NERVE_SIGNALS settings
// (file storage, duplicate window, durable pull consumer, explicit acks) on its own connection;
// this process publishes one message at a time with a message id and the clock in the body; the
// child acks it and reports the difference. Blocks of the two alternate.
//
// Throughput: A's senses s0…s15 in a closed loop (each is triggered again as soon as its
// signal is committed in A's log, as in bench/signal-throughput), every signal published and
// committed in B's log before B's `count` sense (`on: [a/s0 … a/s15]`) hears it; `count` writes
// the running total of signals heard to the socket. The figure: signals per second from the
// first trigger until B has heard all of them. Bare throughput: the same number of messages
// published in batches of 256 concurrent publishes (as A's outbox sends them), consumed and
// acked by the child. Rounds alternate.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

export const figures = [
  "federation.signal-latency.p50",
  "federation.signal-latency.p99",
  "federation.throughput",
];

const SENDERS = 16;
const BARE_STREAM = "BENCH_BARE";
const BARE_SUBJECT = "bench.bare.ping";
const PUBLISH_BATCH = 256;
const now = () => performance.timeOrigin + performance.now();
const self = fileURLToPath(import.meta.url);
const pause = () => new Promise((resolve) => setTimeout(resolve, 1));

const PING = `export function compute(): { t: number } {
  return { t: performance.timeOrigin + performance.now() };
}
`;

const SENDER = `let n = 0;
export function compute(): { n: number } {
  n += 1;
  return { n };
}
`;

function probeSource(stampPath) {
  return `import { connect, type Socket } from "node:net";

let socket: Socket | null = null;

export function compute(ctx: { trigger: { signals: { payload: { t: number } }[] } }): null {
  const start = performance.timeOrigin + performance.now();
  socket ??= connect(${JSON.stringify(stampPath)});
  let lines = "";
  for (const signal of ctx.trigger.signals) lines += \`p \${start - signal.payload.t}\\n\`;
  socket.write(lines);
  return null;
}
`;
}

function countSource(stampPath) {
  return `import { connect, type Socket } from "node:net";

let socket: Socket | null = null;
let total = 0;

export function compute(ctx: { trigger: { signals: unknown[] } }): null {
  total += ctx.trigger.signals.length;
  socket ??= connect(${JSON.stringify(stampPath)});
  socket.write(\`c \${total}\\n\`);
  return null;
}
`;
}

function federationYaml(url, node, publish) {
  const lines = ["federation:", `  servers: [${url}]`, `  node: ${node}`];
  if (publish) lines.push(`  publish: ["*"]`);
  return `${lines.join("\n")}\n`;
}

/** The socket B's senses write to: `p <ms>` per ping heard, `c <total>` per count compute. */
function stampServer(path) {
  let latencyWaiter = null;
  const latencies = [];
  let total = 0;
  let totalWaiter = null;
  const server = createServer((socket) => {
    socket.setEncoding("utf8");
    let buffered = "";
    socket.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const [kind, value] = buffered.slice(0, nl).split(" ");
        buffered = buffered.slice(nl + 1);
        if (kind === "p") {
          latencies.push(Number(value));
          if (latencyWaiter) {
            const resolve = latencyWaiter;
            latencyWaiter = null;
            resolve(latencies.shift());
          }
        } else if (kind === "c") {
          total = Number(value);
          if (totalWaiter && total >= totalWaiter.upTo) {
            const { resolve } = totalWaiter;
            totalWaiter = null;
            resolve(now());
          }
        }
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(path, () =>
      resolve({
        /** The next ping latency B reported, in ms. */
        nextLatency: () =>
          latencies.length > 0
            ? Promise.resolve(latencies.shift())
            : new Promise((r) => (latencyWaiter = r)),
        /** Resolves with the time B's count reached `upTo`. */
        totalReaches: (upTo) =>
          total >= upTo
            ? Promise.resolve(now())
            : new Promise((r) => (totalWaiter = { upTo, resolve: r })),
        total: () => total,
        close: () => new Promise((r) => server.close(r)),
      }),
    ),
  );
}

async function waitUntil(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** µs from A's ping compute returning to B's probe compute starting, `count` times. */
async function sampleNerve(registry, stamps, count, into) {
  for (let i = 0; i < count; i += 1) {
    registry.trigger("ping");
    into.push((await stamps.nextLatency()) * 1_000);
    await pause();
  }
}

/** The bare side: a publishing connection here, the consuming child. */
async function bareSide(url) {
  const nc = await connect({ servers: url, name: "bench:bare-publisher" });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: BARE_STREAM,
    subjects: ["bench.bare.>"],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: 7 * 24 * 3600 * 1e9,
    duplicate_window: 10 * 60 * 1e9,
  });
  await jsm.consumers.add(BARE_STREAM, {
    durable_name: "bare",
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    filter_subject: "bench.bare.>",
    ack_wait: 10 * 1e9,
    max_ack_pending: 10_000,
  });
  const js = jetstream(nc);
  const child = fork(self, ["--bare-consumer", url], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`the bare consumer exited with code ${code}`)));
  });
  const waiting = [];
  child.on("message", (message) => waiting.shift()?.(message));
  const answer = () => new Promise((resolve) => waiting.push(resolve));
  let seq = 0;
  return {
    /** µs from publish to the child's consume, `count` times, one at a time. */
    async latency(count, into) {
      for (let i = 0; i < count; i += 1) {
        seq += 1;
        const arrived = answer();
        const body = `{"id":"bare-${seq}","t":${now()}}`;
        const [ack, message] = await Promise.all([
          js.publish(BARE_SUBJECT, body, { msgID: `bare-${seq}` }),
          arrived,
        ]);
        if (ack.duplicate) throw new Error(`bare message ${seq} was taken for a duplicate`);
        into.push(message.latencyMs * 1_000);
        await pause();
      }
    },
    /** Messages per second, `count` published in concurrent batches, all consumed and acked. */
    async throughput(count) {
      const counting = answer();
      child.send({ expect: count });
      await counting; // the child counts from now on
      const done = answer();
      const start = now();
      for (let sent = 0; sent < count; sent += PUBLISH_BATCH) {
        const batch = [];
        for (let i = sent; i < Math.min(count, sent + PUBLISH_BATCH); i += 1) {
          seq += 1;
          batch.push(
            js.publish(BARE_SUBJECT, `{"id":"bare-${seq}","t":0}`, { msgID: `bare-${seq}` }),
          );
        }
        await Promise.all(batch);
      }
      const { doneAt } = await done;
      return count / ((doneAt - start) / 1_000);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.send({ exit: true });
        await exited;
      }
      await nc.close();
    },
  };
}

/** Signals per second from A's first trigger until B's `count` has heard `count` more. */
async function nerveThroughput(app, stamps, count) {
  const { SenseRegistry, SignalBus } = await import("@nerve/daemon");
  const registry = app.get(SenseRegistry);
  const bus = app.get(SignalBus);
  const upTo = stamps.total() + count;
  let issued = 0;
  const unsubscribe = bus.subscribe("*", (signal) => {
    if (signal.sense === "ping" || issued >= count) return;
    issued += 1;
    registry.trigger(signal.sense);
  });
  const start = now();
  for (let i = 0; i < SENDERS && issued < count; i += 1) {
    issued += 1;
    registry.trigger(`s${i}`);
  }
  const doneAt = await stamps.totalReaches(upTo);
  unsubscribe();
  if (stamps.total() !== upTo) {
    throw new Error(`B heard ${stamps.total() - upTo + count} signals of ${count} sent`);
  }
  return count / ((doneAt - start) / 1_000);
}

export default async function bench({ quick = false } = {}) {
  const { natsServerPath, skippedRows, startNatsServer } = await import("./lib/nats.mjs");
  const binary = natsServerPath();
  if (binary === null) {
    return skippedRows(figures, (name) => (name.endsWith("throughput") ? "signals/s" : "µs"));
  }
  const { startEngine } = await import("./lib/engine.mjs");
  const { startDaemon } = await import("./lib/daemon.mjs");
  const { percentile, median } = await import("./lib/measure.mjs");
  const { makeWorkspace, nerveYaml } = await import("./lib/workspace.mjs");
  const { FederationService } = await import("../apps/daemon/dist/federation/index.js");
  const { SenseRegistry, SignalBus } = await import("@nerve/daemon");

  const blocks = quick ? 2 : 5;
  const perBlock = quick ? 100 : 200;
  const rounds = quick ? 2 : 3;
  const perRound = quick ? 2_000 : 10_000;

  const socketDir = mkdtempSync(join(tmpdir(), "nerve-bench-fed-"));
  const stampPath = join(socketDir, "stamps.sock");
  const broker = await startNatsServer(binary);
  let stamps = null;
  let daemonB = null;
  let app = null;
  let bare = null;
  const senders = Array.from({ length: SENDERS }, (_, i) => `s${i}`);
  const aSenses = { ping: { group: "a" } };
  const aFiles = { "senses/ping/compute.ts": PING };
  for (const name of senders) {
    aSenses[name] = { group: "a" };
    aFiles[`senses/${name}/compute.ts`] = SENDER;
  }
  const a = makeWorkspace("fed-a", {
    ...aFiles,
    "nerve.yaml": nerveYaml({ senses: aSenses }) + federationYaml(broker.url, "a", true),
  });
  const b = makeWorkspace("fed-b", {
    "senses/probe/compute.ts": probeSource(stampPath),
    "senses/count/compute.ts": countSource(stampPath),
    "nerve.yaml":
      nerveYaml({
        senses: { probe: { group: "b" }, count: { group: "b" } },
        reflexes: [
          { sense: "probe", on: ["a/ping"] },
          { sense: "count", on: senders.map((name) => `a/${name}`) },
        ],
      }) + federationYaml(broker.url, "b", false),
  });
  try {
    stamps = await stampServer(stampPath);
    daemonB = await startDaemon(b.root);
    await waitUntil(async () => {
      const answer = await daemonB.client.request("health");
      return answer.ok && answer.result.federation?.connected;
    }, "daemon B to connect to nats-server");
    app = await startEngine(a.root);
    const federation = app.get(FederationService);
    await waitUntil(() => federation.health()?.connected, "daemon A to connect to nats-server");
    bare = await bareSide(broker.url);
    const registry = app.get(SenseRegistry);

    // Warm-up: JIT on every side, the probes' sockets, the streams' first files.
    await sampleNerve(registry, stamps, quick ? 50 : 200, []);
    await bare.latency(quick ? 50 : 200, []);
    await nerveThroughput(app, stamps, quick ? 500 : 2_000);
    await bare.throughput(quick ? 500 : 2_000);

    const nerve = [];
    const bareLatencies = [];
    // Where the time goes: A's part, from the compute's return to the signal committed in A's
    // log (and its outbox entry sendable).
    const aSide = [];
    const unsubscribe = app
      .get(SignalBus)
      .subscribe("ping", (signal) => aSide.push((now() - signal.payload.t) * 1_000));
    for (let block = 0; block < blocks; block += 1) {
      await sampleNerve(registry, stamps, perBlock, nerve);
      await bare.latency(perBlock, bareLatencies);
    }
    unsubscribe();
    const nerveRates = [];
    const bareRates = [];
    for (let round = 0; round < rounds; round += 1) {
      bareRates.push(await bare.throughput(perRound));
      nerveRates.push(await nerveThroughput(app, stamps, perRound));
    }

    const latencyRow = (name, p, target) => {
      const value = percentile(nerve, p);
      const baselineValue = percentile(bareLatencies, p);
      const ratio = value / baselineValue;
      return {
        name,
        value: Math.round(value),
        unit: "µs",
        baseline: "bare JetStream publish → consume (same server)",
        baselineValue: Math.round(baselineValue),
        ratio: Math.round(ratio * 100) / 100,
        target: target === null ? "ratio <= 2" : `< ${target / 1_000} ms, ratio <= 2`,
        pass: ratio <= 2 && (target === null || value < target),
        samples: nerve.length,
        // Informational: the part of the figure spent in daemon A (worker → committed).
        daemonASideUs: Math.round(percentile(aSide, p)),
      };
    };
    const value = Math.round(median(nerveRates));
    const baselineValue = Math.round(median(bareRates));
    return [
      latencyRow("federation.signal-latency.p50", 50, null),
      latencyRow("federation.signal-latency.p99", 99, 10_000),
      {
        name: "federation.throughput",
        value,
        unit: "signals/s",
        baseline: "bare JetStream publish (256 in flight) → consume + ack",
        baselineValue,
        ratio: Math.round((value / baselineValue) * 1_000) / 1_000,
        target: null,
        pass: null,
        signalsPerRound: perRound,
        rounds,
        senders: SENDERS,
        rates: nerveRates.map(Math.round),
        baselineRates: bareRates.map(Math.round),
      },
    ];
  } finally {
    await bare?.close();
    await app?.close();
    await daemonB?.stop();
    await stamps?.close();
    await broker.stop();
    a.remove();
    b.remove();
    rmSync(socketDir, { recursive: true, force: true });
  }
}

/** The bare consumer: acks each message; reports its latency, or the time the expected count is reached. */
async function runBareConsumer(url) {
  const nc = await connect({ servers: url, name: "bench:bare-consumer" });
  const consumer = await jetstream(nc).consumers.get(BARE_STREAM, "bare");
  let expect = 0;
  let seen = 0;
  await consumer.consume({
    max_messages: 512,
    callback: (msg) => {
      const arrived = now();
      msg.ack();
      if (expect === 0) {
        process.send({ latencyMs: arrived - JSON.parse(msg.string()).t });
        return;
      }
      seen += 1;
      if (seen === expect) {
        expect = 0;
        process.send({ doneAt: arrived });
      }
    },
  });
  process.on("message", (message) => {
    if (message.expect) {
      expect = message.expect;
      seen = 0;
      process.send({ counting: true });
    }
    if (message.exit) void nc.close().then(() => process.exit(0));
  });
  process.on("disconnect", () => process.exit(0));
  process.send("ready");
}

if (process.argv[2] === "--bare-consumer") await runBareConsumer(process.argv[3]);
