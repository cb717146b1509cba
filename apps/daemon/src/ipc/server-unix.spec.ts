import { join } from "node:path";
import { of } from "rxjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IPC_REQUEST_TYPES, IpcError, MAX_LINE_BYTES, type IpcRequest } from "@nerve/core";
import { delay, makeTempRoot, MemoryLog } from "./__fixtures__/ipc-fixtures.js";
import { LineClient } from "./__fixtures__/line-client.js";
import { ServerUnix } from "./server-unix.js";
import { MAX_PENDING_PER_CONNECTION } from "./unix-connection.js";
import type { UnixContext } from "./unix-context.js";

describe(ServerUnix.name, () => {
  let workspace: ReturnType<typeof makeTempRoot>;
  let server: ServerUnix;
  let log: MemoryLog;
  const clients: LineClient[] = [];

  /** Every request type answers `{ handled: <type>, request }`. */
  function echoHandlers(): void {
    for (const type of IPC_REQUEST_TYPES) {
      server.addHandler(type, (request: IpcRequest) => Promise.resolve({ handled: type, request }));
    }
  }

  async function client(): Promise<LineClient> {
    const c = await LineClient.connect(server.path);
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    workspace = makeTempRoot();
    log = new MemoryLog();
    server = new ServerUnix({ root: workspace.root, log });
    echoHandlers();
    await server.open();
  });

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await server.close();
    workspace.cleanup();
  });

  describe("routing", () => {
    it("routes each request type to the handler registered for it", async () => {
      const c = await client();
      const requests = [
        { id: 1, type: "health" },
        { id: 2, type: "list-senses" },
        { id: 3, type: "trigger-sense", sense: "cpu" },
        {
          id: 4,
          type: "trigger-workflow",
          workflow: "triage",
          prompt: "p",
          maxRounds: 2,
          payload: { a: 1 },
        },
        { id: 5, type: "shutdown" },
      ];
      for (const request of requests) {
        expect(await c.ask(request)).toEqual({
          id: request.id,
          ok: true,
          result: { handled: request.type, request },
        });
      }
    });

    it("echoes string ids", async () => {
      const c = await client();
      expect(await c.ask({ id: "abc-1", type: "health" })).toMatchObject({ id: "abc-1", ok: true });
    });

    it("passes the handler a context naming the request type and its connection", async () => {
      let seen: UnixContext | undefined;
      server.addHandler("health", (_request: IpcRequest, context: UnixContext) => {
        seen = context;
        return Promise.resolve({});
      });
      const c = await client();
      await c.ask({ id: 1, type: "health" });
      expect(seen?.getPattern()).toBe("health");
      expect(seen?.getSocketRef().writable).toBe(true);
    });

    it("answers with the last value of a handler that returns an Observable", async () => {
      server.addHandler("health", () => Promise.resolve(of(1, 2, 3)));
      const c = await client();
      expect(await c.ask({ id: 1, type: "health" })).toEqual({ id: 1, ok: true, result: 3 });
    });

    it("answers null for a handler that resolves to nothing", async () => {
      server.addHandler("health", () => Promise.resolve(undefined));
      const c = await client();
      expect(await c.ask({ id: 1, type: "health" })).toEqual({ id: 1, ok: true, result: null });
    });
  });

  describe("errors", () => {
    it("answers bad_json with a null id for a line that is not JSON", async () => {
      const c = await client();
      c.write("{nope\n");
      const [answer] = await c.read();
      expect(answer).toMatchObject({ id: null, ok: false, error: { code: "bad_json" } });
      expect(answer.error.message).toContain("not valid JSON");
    });

    it.each([
      ["an unknown type", { id: 4, type: "reboot" }, /unknown type "reboot"/],
      [
        "a missing field",
        { id: 4, type: "trigger-sense" },
        /trigger-sense\.sense: expected a non-empty string, got nothing/,
      ],
      [
        "an invalid field",
        { id: 4, type: "trigger-workflow", workflow: "w", maxRounds: -3 },
        /maxRounds: expected a positive integer, got -3/,
      ],
      ["an unknown field", { id: 4, type: "health", verbose: true }, /unknown field "verbose"/],
    ])("answers bad_request with the id for %s", async (_what, request, message) => {
      const c = await client();
      const answer = await c.ask(request);
      expect(answer).toMatchObject({ id: 4, ok: false, error: { code: "bad_request" } });
      expect(answer.error.message).toMatch(message);
    });

    it("answers bad_request with a null id when the id is missing", async () => {
      const c = await client();
      expect(await c.ask({ type: "health" })).toMatchObject({
        id: null,
        error: { code: "bad_request" },
      });
    });

    it("keeps the code of an IpcError thrown by a handler", async () => {
      server.addHandler("trigger-sense", () =>
        Promise.reject(new IpcError("unknown_sense", "no sense x")),
      );
      const c = await client();
      expect(await c.ask({ id: 9, type: "trigger-sense", sense: "x" })).toEqual({
        id: 9,
        ok: false,
        error: { code: "unknown_sense", message: "no sense x" },
      });
      expect(log.entries).toEqual([]);
    });

    it("answers internal with the message, never the stack, and logs the failure with its stack", async () => {
      server.addHandler("health", () => Promise.reject(new Error("disk on fire")));
      const c = await client();
      const answer = await c.ask({ id: 3, type: "health" });
      expect(answer).toEqual({
        id: 3,
        ok: false,
        error: { code: "internal", message: "disk on fire" },
      });
      expect(JSON.stringify(answer)).not.toContain("at ");
      expect(log.entries).toHaveLength(1);
      expect(log.entries[0]).toMatchObject({ level: "error", tag: "ipc" });
      expect(log.entries[0].message).toContain("health request 3 failed: disk on fire");
      expect(log.entries[0].stack).toContain("disk on fire");
    });

    it("answers internal for a handler that throws synchronously", async () => {
      server.addHandler("health", () => {
        throw new TypeError("sync boom");
      });
      const c = await client();
      expect(await c.ask({ id: 1, type: "health" })).toMatchObject({
        error: { code: "internal", message: "sync boom" },
      });
    });

    it("answers internal for a result that cannot be written as JSON", async () => {
      server.addHandler("health", () => Promise.resolve({ big: 1n }));
      const c = await client();
      expect(await c.ask({ id: 1, type: "health" })).toMatchObject({
        id: 1,
        error: { code: "internal" },
      });
    });

    it("answers internal for a request type that has no handler", async () => {
      const bare = new ServerUnix({
        root: workspace.root,
        path: join(workspace.root, "bare.sock"),
        log,
      });
      await bare.open();
      try {
        const c = await LineClient.connect(bare.path);
        clients.push(c);
        const answer = await c.ask({ id: 1, type: "health" });
        expect(answer).toMatchObject({ id: 1, error: { code: "internal" } });
        expect(answer.error.message).toContain('no handler is registered for "health" requests');
      } finally {
        await bare.close();
      }
    });

    it("answers too_large for a line over 1 MiB, after the answers before it, then closes", async () => {
      const c = await client();
      c.send({ id: 1, type: "health" });
      c.write(
        `{"id":2,"type":"trigger-workflow","workflow":"w","payload":"${"x".repeat(MAX_LINE_BYTES)}"}\n`,
      );
      c.send({ id: 3, type: "health" });
      const [first, second] = await c.read(2);
      expect(first).toMatchObject({ id: 1, ok: true });
      expect(second).toMatchObject({ id: null, ok: false, error: { code: "too_large" } });
      expect(second.error.message).toContain(`limit of ${MAX_LINE_BYTES} bytes`);
      await c.closed;
      expect(c.ended).toBe(true);
    });

    it("answers too_large as soon as an unfinished line passes 1 MiB", async () => {
      const c = await client();
      c.write(`{"id":1,"type":"health","pad":"${"y".repeat(MAX_LINE_BYTES + 10)}`);
      const [answer] = await c.read();
      expect(answer).toMatchObject({ id: null, error: { code: "too_large" } });
      await c.closed;
    });
  });

  describe("bad input", () => {
    it("keeps the connection usable after garbage, truncated and deeply nested lines", async () => {
      server.addHandler("trigger-workflow", () =>
        Promise.resolve({ runId: "r1", status: "started" }),
      );
      const c = await client();
      c.write("\u0000\u0001garbage\xff\n");
      c.write('{"id": 1, "type": "hea\n');
      c.write(
        `{"id":2,"type":"trigger-workflow","workflow":"w","payload":${"[".repeat(100_000)}${"]".repeat(100_000)}}\n`,
      );
      c.write(`${"{".repeat(50_000)}\n`);
      c.write("[]\nnull\n42\n\r\n\n");
      const answers = await c.read(6);
      expect(answers.map((a) => a.error?.code ?? "ok")).toEqual([
        "bad_json",
        "bad_json",
        "ok",
        "bad_json",
        "bad_request",
        "bad_request",
      ]);
      const [number] = await c.read();
      expect(number).toMatchObject({ error: { code: "bad_request" } });
      expect(await c.ask({ id: 7, type: "health" })).toMatchObject({ id: 7, ok: true });
      expect(c.ended).toBe(false);
    });

    it("reads requests split across writes, a UTF-8 character split included", async () => {
      const c = await client();
      const line = Buffer.from(
        `${JSON.stringify({ id: 1, type: "trigger-sense", sense: "température" })}\n`,
      );
      const cut = line.indexOf(Buffer.from("é")) + 1;
      c.write(line.subarray(0, cut));
      await delay(5);
      c.write(line.subarray(cut));
      const [answer] = await c.read();
      expect(answer.result.request.sense).toBe("température");
    });

    it("answers requests sent before the client ended its side, the last one without a newline", async () => {
      const c = await client();
      c.write('{"id":1,"type":"health"}\n{"id":2,"type":"list-senses"}');
      c.socket.end();
      const answers = await c.read(2);
      expect(answers.map((a) => a.id)).toEqual([1, 2]);
      await c.closed;
    });
  });

  describe("pipelining", () => {
    it("answers in request order when later requests finish first", async () => {
      const delays: Record<string, number> = { a: 60, b: 5, c: 30, d: 0 };
      server.addHandler("trigger-sense", async (request: IpcRequest & { sense: string }) => {
        await delay(delays[request.sense]);
        return { sense: request.sense };
      });
      const finished: string[] = [];
      server.addHandler("list-senses", () => {
        finished.push("list");
        return Promise.resolve([]);
      });
      const c = await client();
      c.write(
        ["a", "b", "c", "d"]
          .map((sense, i) => JSON.stringify({ id: i + 1, type: "trigger-sense", sense }))
          .join("\n") + "\n",
      );
      c.send({ id: 5, type: "list-senses" });
      const answers = await c.read(5);
      expect(answers.map((a) => a.id)).toEqual([1, 2, 3, 4, 5]);
      expect(answers.slice(0, 4).map((a) => a.result.sense)).toEqual(["a", "b", "c", "d"]);
      // The fast handler ran at once; only its answer waited.
      expect(finished).toEqual(["list"]);
    });

    it("answers every request of a client that pipelines more than a connection keeps pending", async () => {
      server.addHandler("trigger-sense", async (request: IpcRequest & { sense: string }) => {
        await delay(1);
        return { sense: request.sense };
      });
      const c = await client();
      const count = MAX_PENDING_PER_CONNECTION * 3;
      const lines = Array.from({ length: count }, (_, i) =>
        JSON.stringify({ id: i, type: "trigger-sense", sense: `s${i}` }),
      );
      c.write(`${lines.join("\n")}\n`);
      const answers = await c.read(count);
      expect(answers.map((a) => a.id)).toEqual(Array.from({ length: count }, (_, i) => i));
      expect(answers.every((a, i) => a.result.sense === `s${i}`)).toBe(true);
    });

    it("answers 50 concurrent clients, each its own requests", async () => {
      const many = await Promise.all(Array.from({ length: 50 }, () => client()));
      const answers = await Promise.all(
        many.map(async (c, n) => {
          c.send({ id: n, type: "trigger-sense", sense: `s${n}` });
          c.send({ id: n + 1000, type: "health" });
          return c.read(2);
        }),
      );
      answers.forEach(([first, second], n) => {
        expect(first).toMatchObject({ id: n, result: { request: { sense: `s${n}` } } });
        expect(second).toMatchObject({ id: n + 1000, ok: true });
      });
    });
  });

  describe("after the answer", () => {
    it("runs after-reply callbacks once the answer has left, so a close there still delivers it", async () => {
      server.addHandler("shutdown", (_request: IpcRequest, context: UnixContext) => {
        context.afterReply(() => void server.close());
        return Promise.resolve({ stopping: true });
      });
      const c = await client();
      expect(await c.ask({ id: 1, type: "shutdown" })).toEqual({
        id: 1,
        ok: true,
        result: { stopping: true },
      });
      await c.closed;
      expect(server.state).toBe("closed");
    });

    it("logs an after-reply callback that throws and keeps serving", async () => {
      server.addHandler("health", (_request: IpcRequest, context: UnixContext) => {
        context.afterReply(() => {
          throw new Error("callback broke");
        });
        return Promise.resolve({});
      });
      const c = await client();
      await c.ask({ id: 1, type: "health" });
      expect(await c.ask({ id: 2, type: "list-senses" })).toMatchObject({ id: 2, ok: true });
      expect(log.entries.map((e) => e.message)).toEqual([
        "an after-reply callback failed: callback broke",
      ]);
    });
  });
});
