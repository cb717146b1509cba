// The chain in Nerve: senses src → hop1 (on: [src]) → hop2 (on: [hop1]), in the real engine
// (NerveModule from the built @nerve/daemon, in this process; the senses in one worker process),
// every signal appended to the log and committed before a round counts as done. Forked by
// bench/peers/run.mjs with a mode:
//
//   chains  64 independent chains (192 senses, one group); the driver triggers src-i by hand
//           (SenseRegistry.trigger) again when hop2-i signals: 64 messages in flight, each one
//           computed and logged at every hop (3 signals per message). The like-for-like of
//           Node-RED's 64-message window.
//   single  ONE chain; src is triggered again as soon as it signals, so it runs back to back;
//           triggers that reach a hop while it computes are coalesced into its next compute
//           (SPEC §5), which forwards the sum of the counts it received: fewer hop computes and
//           rows than messages, and no message lost.
//
// On each "round" message it passes `count` messages and answers with the rate.
import { performance } from "node:perf_hooks";
import { NERVE_VERSION } from "@nerve/core";
import { LogStore, SenseRegistry, SignalBus } from "@nerve/daemon";
import { startEngine } from "../lib/engine.mjs";
import { makeWorkspace, nerveYaml } from "../lib/workspace.mjs";

const mode = process.argv[2] === "single" ? "single" : "chains";
const CHAINS = mode === "single" ? 1 : 64;

const SOURCE = "export function compute() {\n  return { n: 1 };\n}\n";
const HOP = `import type { SenseContext } from "@nerve/core";

export function compute(ctx: SenseContext) {
  let n = 0;
  for (const signal of ctx.trigger.signals) n += (signal.payload as { n: number }).n;
  return { n };
}
`;

function workspace() {
  const senses = {};
  const reflexes = [];
  const files = {};
  for (let i = 0; i < CHAINS; i += 1) {
    const [src, hop1, hop2] = [`src-${i}`, `hop1-${i}`, `hop2-${i}`];
    for (const name of [src, hop1, hop2]) senses[name] = { group: "chain" };
    reflexes.push({ sense: hop1, on: [src] }, { sense: hop2, on: [hop1] });
    files[`senses/${src}/compute.ts`] = SOURCE;
    files[`senses/${hop1}/compute.ts`] = HOP;
    files[`senses/${hop2}/compute.ts`] = HOP;
  }
  files["nerve.yaml"] = nerveYaml({ senses, reflexes });
  return makeWorkspace("peers-nerve", files);
}

const ws = workspace();
const app = await startEngine(ws.root);
const registry = app.get(SenseRegistry);
const bus = app.get(SignalBus);
const log = app.get(LogStore);

/** Messages per second from src through hop2, all committed. */
async function round(count) {
  const rowsBefore = log.count({ type: "signal" });
  let sent = 0;
  let arrived = 0;
  let hopComputes = 0;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const trigger = (chain) => {
    sent += 1;
    registry.trigger(`src-${chain}`);
  };
  const unsubscribe = bus.subscribe("*", (signal) => {
    const [stage, chain] = signal.sense.split("-");
    if (stage !== "src") hopComputes += 1;
    // single: src runs back to back; chains: the next message once this one is through.
    if (mode === "single" && stage === "src" && sent < count) trigger(chain);
    if (stage !== "hop2") return;
    arrived += signal.payload.n;
    if (mode === "chains" && sent < count) trigger(chain);
    if (arrived >= count) finish();
  });
  const start = performance.now();
  for (let i = 0; i < CHAINS && sent < count; i += 1) trigger(i);
  await finished;
  await log.flush();
  const seconds = (performance.now() - start) / 1_000;
  unsubscribe();
  // Let the last computes settle before the next round.
  while (registry.list().some((sense) => sense.running)) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return {
    rate: count / seconds,
    computes: hopComputes + sent,
    rowsLogged: log.count({ type: "signal" }) - rowsBefore,
  };
}

process.on("message", async (message) => {
  if (message.round) {
    process.send({ result: await round(message.round) });
  } else if (message.exit) {
    await app.close();
    ws.remove();
    process.exit(0);
  }
});
process.send({ ready: true, version: NERVE_VERSION });
