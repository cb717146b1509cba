import { statSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { socketPathFor } from "@nerve/core";
import { startDaemon, stopDaemon } from "../support/daemon.js";
import { makeWorkspace } from "../support/workspace.js";

let root: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ root, cleanup } = makeWorkspace({
    "nerve.yaml": "senses:\n  echo: {}\nworkflows:\n  flow: {}\n",
    "senses/echo/compute.ts": "export const compute = () => ({ ok: true });\n",
    "workflows/flow/index.ts":
      'import { END } from "@nerve/core";\nexport default { roles: { a: () => 1 }, moderator: ({ round }: { round: number }) => (round === 1 ? "a" : END) };\n',
  }));
  await startDaemon(root);
});
afterAll(async () => {
  await stopDaemon(root);
  cleanup();
});

/** A raw connection speaking the wire format line by line. */
class Line {
  private buffer = "";
  private waiting: ((line: string) => void)[] = [];
  private lines: string[] = [];
  readonly closed: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let index: number;
      while ((index = this.buffer.indexOf("\n")) >= 0) {
        const line = this.buffer.slice(0, index);
        this.buffer = this.buffer.slice(index + 1);
        const waiter = this.waiting.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  static open(): Promise<Line> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPathFor(root), () => resolve(new Line(socket)));
      socket.once("error", reject);
    });
  }

  next(): Promise<Record<string, unknown>> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(JSON.parse(line));
    return new Promise((resolve) => this.waiting.push((l) => resolve(JSON.parse(l))));
  }

  async ask(request: string): Promise<Record<string, unknown>> {
    this.socket.write(`${request}\n`);
    return this.next();
  }
}

describe("the daemon socket", () => {
  it("is private to its owner (mode 0600)", () => {
    expect(statSync(socketPathFor(root)).mode & 0o777).toBe(0o600);
  });

  it("answers every request type", async () => {
    const line = await Line.open();
    const health = await line.ask('{"id":1,"type":"health"}');
    expect(health).toMatchObject({
      id: 1,
      ok: true,
      result: { root, groups: [{ name: "default" }] },
    });
    const senses = await line.ask('{"id":2,"type":"list-senses"}');
    expect(senses).toMatchObject({ id: 2, ok: true, result: [{ name: "echo", group: "default" }] });
    const trigger = await line.ask('{"id":"t","type":"trigger-sense","sense":"echo"}');
    expect(trigger).toEqual({ id: "t", ok: true, result: { sense: "echo", accepted: true } });
    line.socket.destroy();
  });

  it.each([
    ["not json", "bad_json"],
    ['{"id":3,"type":"dance"}', "bad_request"],
    ['{"id":4,"type":"trigger-sense"}', "bad_request"],
    ['{"id":5,"type":"trigger-sense","sense":7}', "bad_request"],
    ['{"id":6,"type":"trigger-sense","sense":"ghost"}', "unknown_sense"],
    ['{"id":7,"type":"trigger-workflow","workflow":"ghost"}', "unknown_workflow"],
    ['{"id":8,"type":"trigger-workflow","workflow":"flow","maxRounds":-1}', "bad_request"],
    ["[".repeat(100_000), "bad_json"],
  ])("answers %s with %s and keeps the connection usable", async (request, code) => {
    const line = await Line.open();
    const answer = await line.ask(request);
    expect(answer).toMatchObject({ ok: false, error: { code } });
    expect(typeof (answer.error as { message: string }).message).toBe("string");
    expect(await line.ask('{"id":99,"type":"health"}')).toMatchObject({ id: 99, ok: true });
    line.socket.destroy();
  });

  it("answers a line over 1 MiB with too_large, then closes the connection", async () => {
    const line = await Line.open();
    line.socket.write(`{"id":1,"type":"health","pad":"${"x".repeat(1024 * 1024 + 10)}"}\n`);
    expect(await line.next()).toMatchObject({ ok: false, error: { code: "too_large" } });
    await line.closed;
  });

  it("answers pipelined requests in order, and 50 clients at once", async () => {
    const line = await Line.open();
    line.socket.write(
      Array.from({ length: 20 }, (_, i) => `{"id":${i},"type":"health"}\n`).join(""),
    );
    const ids: unknown[] = [];
    for (let i = 0; i < 20; i++) ids.push((await line.next()).id);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i));
    line.socket.destroy();

    const answers = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const client = await Line.open();
        const answer = await client.ask(`{"id":${i},"type":"list-senses"}`);
        client.socket.destroy();
        return answer;
      }),
    );
    expect(answers.map((a) => a.id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(answers.every((a) => a.ok === true)).toBe(true);
  });
});
