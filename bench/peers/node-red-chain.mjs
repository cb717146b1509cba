// The chain in Node-RED 4 (installed in bench/peers/node_modules by `npm run bench:peers`):
// three function nodes, src → hop1 → hop2, in the runtime driven programmatically (RED.init /
// RED.start with a flow file, no editor, no HTTP, nothing persisted). Forked by
// bench/peers/run.mjs; on each "round" message it passes `count` messages through the chain and
// answers with the rate.
//
// The driver hands each message to `src` with node.receive(msg), as an inject node would; hop2
// calls back into the driver through functionGlobalContext when a message reaches it. A window
// of WINDOW messages is kept in flight (a closed loop, like the Nerve side's 64 chains).
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import RED from "node-red";

const WINDOW = 64;
// Node-RED reads any property equal to a node id as a reference: ids must not equal names.
const SOURCE_ID = "f0000000000000a1";

const FLOW = [
  { id: "f0000000000000a0", type: "tab", label: "bench" },
  {
    id: "f0000000000000a1",
    type: "function",
    z: "f0000000000000a0",
    name: "src",
    func: "msg.payload = { n: msg.payload.n, at: Date.now() };\nreturn msg;",
    outputs: 1,
    wires: [["f0000000000000a2"]],
  },
  {
    id: "f0000000000000a2",
    type: "function",
    z: "f0000000000000a0",
    name: "hop1",
    func: "msg.payload = { n: msg.payload.n, hop: 1 };\nreturn msg;",
    outputs: 1,
    wires: [["f0000000000000a3"]],
  },
  {
    id: "f0000000000000a3",
    type: "function",
    z: "f0000000000000a0",
    name: "hop2",
    func: "msg.payload = { n: msg.payload.n, hop: 2 };\nglobal.get('bench').arrived(msg);\nreturn null;",
    outputs: 1,
    wires: [[]],
  },
];

const userDir = mkdtempSync(join(tmpdir(), "nerve-bench-node-red-"));
writeFileSync(join(userDir, "flows.json"), JSON.stringify(FLOW));

let onArrived = () => undefined;
RED.init(createServer(), {
  userDir,
  flowFile: "flows.json",
  httpAdminRoot: false,
  httpNodeRoot: false,
  disableEditor: true,
  credentialSecret: false,
  logging: { console: { level: "off", metrics: false, audit: false } },
  functionGlobalContext: { bench: { arrived: (msg) => onArrived(msg) } },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
});
await RED.start();
// Flows start after RED.start() resolves; wait for the source node to exist.
while (!RED.nodes.getNode(SOURCE_ID)) await new Promise((resolve) => setTimeout(resolve, 20));
const source = RED.nodes.getNode(SOURCE_ID);

/** Messages per second through src → hop1 → hop2, `count` messages, WINDOW in flight. */
function round(count) {
  return new Promise((resolve) => {
    let sent = 0;
    let arrived = 0;
    const start = performance.now();
    const send = () => {
      sent += 1;
      source.receive({ payload: { n: sent } });
    };
    onArrived = () => {
      arrived += 1;
      if (sent < count) send();
      if (arrived === count) {
        const seconds = (performance.now() - start) / 1_000;
        resolve({ rate: count / seconds, computes: count * 3, rowsLogged: 0 });
      }
    };
    for (let i = 0; i < WINDOW && sent < count; i += 1) send();
  });
}

process.on("message", async (message) => {
  if (message.round) {
    process.send({ result: await round(message.round) });
  } else if (message.exit) {
    await RED.stop();
    rmSync(userDir, { recursive: true, force: true });
    process.exit(0);
  }
});
const { version } = createRequire(import.meta.url)("node-red/package.json");
process.send({ ready: true, version });
