import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exchange,
  healthOf,
  reapDaemons,
  socketOf,
  startDaemonProcess,
  stopDaemon,
  type DaemonProcess,
  type IpcAnswer,
} from "./support/daemon-process.js";
import { tally } from "./support/figures.js";
import { integer, pick, seeded, STACK_LINE } from "./support/fuzz.js";
import { faultWorkspace } from "./support/workspaces.js";

/** Random lines sent on one connection. */
const RANDOM_LINES = 400;
const MAX_LINE_BYTES = 1024 * 1024;
/** SPEC §8: every code an answer may carry. */
const ERROR_CODES = [
  "bad_json",
  "bad_request",
  "unknown_sense",
  "unknown_workflow",
  "too_large",
  "internal",
];

let root = "";
let cleanup = (): void => undefined;
let daemon: DaemonProcess;

beforeAll(async () => {
  ({ root, cleanup } = faultWorkspace({
    "nerve.yaml": "senses:\n  probe: {}\nworkflows:\n  echo: {}\n",
    "senses/probe/compute.js": "export const compute = () => 1;\n",
    "workflows/echo/index.js":
      'export default { roles: { say: (ctx) => ctx.start.payload }, moderator: ({ round }) => (round === 1 ? "say" : "__end__") };\n',
  }));
  daemon = await startDaemonProcess(root);
});

afterAll(async () => {
  if (daemon.alive) await stopDaemon(daemon);
  await reapDaemons();
  cleanup();
});

function parse(line: string): IpcAnswer {
  return JSON.parse(line) as IpcAnswer;
}

/** The answer lines must all be well-formed, and errors must carry a known code and a message. */
function expectWellFormed(lines: string[]): IpcAnswer[] {
  const answers = lines.map(parse);
  for (const answer of answers) {
    if (answer.ok) continue;
    expect(ERROR_CODES).toContain(answer.error?.code);
    expect(answer.error?.message).toMatch(/\S/);
    expect(answer.error?.message).not.toMatch(STACK_LINE);
  }
  return answers;
}

const TEMPLATES: ((next: () => number) => string)[] = [
  (next) => randomBytes(integer(next, 200)).toString("latin1").replaceAll("\n", " "),
  (next) =>
    JSON.stringify({
      id: integer(next, 99),
      type: pick(
        ["health", "list-senses", "trigger-sense", "trigger-workflow", "nope", "", "__proto__"],
        next,
      ),
    }).slice(0, integer(next, 60)),
  (next) =>
    `{"id": ${pick(["1", "-1", "1e400", "null", "true", "[]", "{}", '"x"', "1.5", "9007199254740993"], next)}, "type": "health"}`,
  (next) =>
    `{"id": 1, "type": "trigger-sense", "sense": ${pick(['"probe"', '"../../etc"', "1", "null", "[]", '"nope"', '"PROBE"', '""'], next)}}`,
  (next) =>
    `{"id": 1, "type": "trigger-workflow", "workflow": ${pick(['"echo"', '"nope"', "7", '"../x"'], next)}, "maxRounds": ${pick(["1", "0", "-3", "1.5", "10001", '"5"', "null", "1e308"], next)}, "payload": ${pick(["1", "null", '"s"', "{}", '{"__proto__": {"x": 1}}', "[1,2]"], next)}}`,
  () => `{"id": 1, "type": "health", "type": "shutdown"}`.replace("shutdown", "health"),
  (next) => `{"__proto__": {"type": "shutdown"}, "id": ${integer(next, 9)}}`,
  (next) => `${"[".repeat(integer(next, 5_000))}${"]".repeat(integer(next, 5_000))}`,
  () => "\u0000\u0001\u0002",
  () => '\ufeff{"id": 1, "type": "health"}',
  () => '{"id": 1, "type": "health"} trailing',
  () => "null",
  () => '"just a string"',
  () => "123",
];

describe("garbage on the socket", () => {
  it("answers every bad line with an error line and keeps the connection usable", async (context) => {
    const next = seeded(42);
    const lines: string[] = [];
    for (let i = 0; i < RANDOM_LINES; i += 1) {
      const line = pick(TEMPLATES, next)(next).replaceAll("\n", " ").replaceAll("\r", " ");
      // A line with nothing but whitespace is skipped, not answered.
      lines.push(line.trim() === "" ? "{}" : line);
    }
    lines.push('{"id": "last", "type": "health"}');
    const { lines: answers } = await exchange(root, lines.map((line) => `${line}\n`).join(""), {
      lines: lines.length,
      timeoutMs: 60_000,
    });
    tally(context, { fuzzCases: lines.length });
    expect(answers).toHaveLength(lines.length);
    const parsed = expectWellFormed(answers);
    // Answers come back in request order: the last is the health check, answered.
    expect(parsed.at(-1)).toMatchObject({ id: "last", ok: true, result: { pid: daemon.pid } });
    expect(daemon.alive).toBe(true);
  });

  it("refuses a deeply nested payload with an error line, not a crash", async (context) => {
    const depth = 200_000;
    const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const deepObject = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const requests = [
      `{"id": 1, "type": "trigger-workflow", "workflow": "echo", "payload": ${nested}}`,
      `{"id": 2, "type": "trigger-workflow", "workflow": "echo", "payload": ${deepObject}}`,
      `{"id": ${nested}, "type": "health"}`,
      `{"id": 4, "type": "health", "extra": ${deepObject}}`,
    ];
    for (const request of requests) {
      const { lines } = await exchange(root, `${request}\n`, { lines: 1 });
      tally(context, { fuzzCases: 1 });
      expect(lines).toHaveLength(1);
      expectWellFormed(lines);
      expect(daemon.alive).toBe(true);
    }
    expect((await healthOf(root)).pid).toBe(daemon.pid);
  });

  it("closes the connection after a line over 1 MiB and answers too_large first", async (context) => {
    const huge = `{"id": 1, "type": "health", "pad": "${"x".repeat(MAX_LINE_BYTES)}"}\n`;
    const { lines, closed } = await exchange(root, `{"id": 0, "type": "health"}\n${huge}`, {
      keepOpen: true,
    });
    tally(context, { fuzzCases: 1 });
    expect(lines.map(parse)).toMatchObject([
      { id: 0, ok: true },
      { ok: false, error: { code: "too_large" } },
    ]);
    expect(closed).toBe(true);
    // An endless line without a newline is cut off the same way.
    const endless = await exchange(root, Buffer.alloc(MAX_LINE_BYTES + 10, 0x61), {
      keepOpen: true,
    });
    tally(context, { fuzzCases: 1 });
    expect(endless.lines.map(parse)).toMatchObject([{ ok: false, error: { code: "too_large" } }]);
    expect((await healthOf(root)).pid).toBe(daemon.pid);
  });

  it("survives truncated requests, abrupt disconnects and a flood of connections", async (context) => {
    const next = seeded(7);
    const full =
      '{"id": 1, "type": "trigger-workflow", "workflow": "echo", "prompt": "hi", "payload": {"a": [1, 2, 3]}}\n';
    const attempts: Promise<void>[] = [];
    for (let i = 0; i < 200; i += 1) {
      const cut = integer(next, full.length - 1);
      attempts.push(
        new Promise<void>((resolve) => {
          const socket = connect(socketOf(root));
          socket.on("error", () => resolve());
          socket.on("close", () => resolve());
          socket.on("connect", () => {
            socket.write(full.slice(0, cut));
            // Half the clients vanish mid-request, the others end their side.
            if (i % 2 === 0) socket.destroy();
            else socket.end();
          });
          socket.on("data", () => undefined);
        }),
      );
    }
    await Promise.all(attempts);
    tally(context, { fuzzCases: attempts.length });
    expect((await healthOf(root)).pid).toBe(daemon.pid);
    // The request sent whole but without its newline, then ended, is still answered.
    const { lines } = await exchange(root, full.trimEnd());
    expect(lines.map(parse)).toMatchObject([{ id: 1, ok: true }]);
  });

  it("wrote no stack trace for bad input into the daemon log", () => {
    const log = readFileSync(join(root, "logs", "nerve.log"), "utf8");
    // A request refused as bad input is the client's fault: answered, not logged as a failure.
    expect(log).not.toMatch(/ERROR \[ipc\]/);
    expect(log).not.toMatch(STACK_LINE);
  });
});
