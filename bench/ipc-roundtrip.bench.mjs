// ipc.roundtrip: one request at a time over an open Unix-socket connection, ServerUnix +
// ClientUnix (the daemon's transport, a trigger-sense handler that only answers) against a bare
// net server that splits lines, parses and answers with JSON, and a bare client. Servers run in
// a forked child (as the daemon does), clients here; rounds are interleaved so that both sides
// see the same noise. Also ServerUnix with the bare client, to tell server from client overhead.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const figures = [
  "ipc.roundtrip.p50",
  "ipc.roundtrip.p99",
  "ipc.server-only.p50",
  "ipc.server-only.p99",
  "ipc.fresh-connection.p50",
  "ipc.fresh-connection.p99",
];

const repo = process.env.NERVE_REPO ?? new URL("..", import.meta.url).pathname;
const dist = (file) => pathToFileURL(join(repo, "apps/daemon/dist/ipc", file)).href;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A bare newline-JSON server: parse each line, answer `{id, ok, result}`. */
function bareServer(path) {
  const server = createServer((socket) => {
    let buffered = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const request = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        socket.write(
          `${JSON.stringify({ id: request.id, ok: true, result: { sense: request.sense, accepted: true } })}\n`,
        );
      }
    });
    socket.on("error", () => undefined);
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

/** A bare client: one line out, wait for one line back. */
async function bareClient(path) {
  const socket = connect(path);
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.setEncoding("utf8");
  let buffered = "";
  let waiting = null;
  socket.on("data", (chunk) => {
    buffered += chunk;
    const nl = buffered.indexOf("\n");
    if (nl >= 0 && waiting) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const resolve = waiting;
      waiting = null;
      resolve(JSON.parse(line));
    }
  });
  let id = 0;
  return {
    request(type, params) {
      id += 1;
      return new Promise((resolve) => {
        waiting = resolve;
        socket.write(`${JSON.stringify({ id, type, ...params })}\n`);
      });
    },
    close: () => {
      socket.destroy();
      return Promise.resolve();
    },
  };
}

/** A new connection per request, as a CLI command makes: connect, one request, close. */
async function sampleFresh(makeClient, count, into) {
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const client = await makeClient();
    await client.request("trigger-sense", { sense: "cpu" });
    await client.close();
    into.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
}

async function sample(client, count, into) {
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await client.request("trigger-sense", { sense: "cpu" });
    into.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
}

async function serve(root) {
  const { ServerUnix } = await import(dist("server-unix.js"));
  const bare = await bareServer(join(root, "bare.sock"));
  const nerve = new ServerUnix({ root, log: { warn() {}, error() {} } });
  nerve.addHandler("trigger-sense", (request) =>
    Promise.resolve({ sense: request.sense, accepted: true }),
  );
  await nerve.open();
  process.send({ bare: join(root, "bare.sock"), nerve: nerve.path });
  process.once("message", async () => {
    await nerve.close();
    bare.close();
    process.exit(0);
  });
}

export default async function bench({ quick }) {
  const { ClientUnix } = await import(dist("client-unix.js"));
  const root = mkdtempSync(join(tmpdir(), "nerve-bench-ipc-"));
  const rounds = quick ? 4 : 10;
  const perRound = quick ? 1_000 : 3_000;
  const child = fork(new URL(import.meta.url).pathname, ["--serve", root], {
    env: { ...process.env, NERVE_REPO: repo },
  });
  const paths = await new Promise((resolve, reject) =>
    child.once("message", resolve).once("error", reject),
  );
  const clients = {
    bare: await bareClient(paths.bare),
    nerve: new ClientUnix({ path: paths.nerve }),
    nerveServerBareClient: await bareClient(paths.nerve),
  };
  await clients.nerve.connect();
  const times = {
    bare: [],
    nerve: [],
    nerveServerBareClient: [],
    freshBare: [],
    freshNerve: [],
  };
  const fresh = {
    freshBare: () => bareClient(paths.bare),
    freshNerve: async () => {
      const client = new ClientUnix({ path: paths.nerve });
      await client.connect();
      return client;
    },
  };
  try {
    for (const client of Object.values(clients)) await sample(client, 500, []); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const [name, client] of Object.entries(clients))
        await sample(client, perRound, times[name]);
      for (const [name, make] of Object.entries(fresh))
        await sampleFresh(make, perRound / 10, times[name]);
    }
  } finally {
    clients.bare.close();
    clients.nerveServerBareClient.close();
    await clients.nerve.close();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.send("stop");
    await exited;
    rmSync(root, { recursive: true, force: true });
  }
  const row = (name, value, baselineValue, target, pass, baseline) => ({
    name,
    value,
    unit: "µs",
    baseline,
    baselineValue,
    ratio: value / baselineValue,
    target,
    pass,
  });
  const p = (name, q) => percentile(times[name], q);
  return [
    row(
      "ipc.roundtrip.p50",
      p("nerve", 50),
      p("bare", 50),
      "<= 500 µs",
      p("nerve", 50) <= 500,
      "bare net server + client",
    ),
    row(
      "ipc.roundtrip.p99",
      p("nerve", 99),
      p("bare", 99),
      "<= 3000 µs",
      p("nerve", 99) <= 3_000,
      "bare net server + client",
    ),
    row(
      "ipc.server-only.p50",
      p("nerveServerBareClient", 50),
      p("bare", 50),
      null,
      null,
      "bare net server + client",
    ),
    row(
      "ipc.server-only.p99",
      p("nerveServerBareClient", 99),
      p("bare", 99),
      null,
      null,
      "bare net server + client",
    ),
    row(
      "ipc.fresh-connection.p50",
      p("freshNerve", 50),
      p("freshBare", 50),
      null,
      null,
      "bare, connect per request",
    ),
    row(
      "ipc.fresh-connection.p99",
      p("freshNerve", 99),
      p("freshBare", 99),
      null,
      null,
      "bare, connect per request",
    ),
  ];
}

if (process.argv[2] === "--serve") {
  await serve(process.argv[3]);
} else if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await bench({ quick: process.argv.includes("--quick") });
  for (const r of results) {
    console.log(
      `${r.name.padEnd(26)} ${r.value.toFixed(1).padStart(8)} µs   baseline ${r.baselineValue.toFixed(1).padStart(8)} µs   ratio ${r.ratio.toFixed(2)}   ${r.target ?? ""} ${r.pass === null ? "" : r.pass ? "pass" : "FAIL"}`,
    );
  }
}
