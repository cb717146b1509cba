import { mkdirSync } from "node:fs";
import type { Socket } from "node:net";
import { join } from "node:path";
import { lastValueFrom } from "rxjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IpcError, MAX_LINE_BYTES, type IpcRequest } from "@nerve/core";
import { delay, leaveStaleSocket, makeTempRoot, MemoryLog } from "./__fixtures__/ipc-fixtures.js";
import { ClientUnix } from "./client-unix.js";
import {
  ClientStateError,
  DaemonDisconnectedError,
  IpcTimeoutError,
} from "./errors/client-connection.error.js";
import { DaemonUnreachableError } from "./errors/daemon-unreachable.error.js";
import { ServerUnix } from "./server-unix.js";

describe(ClientUnix.name, () => {
  let workspace: ReturnType<typeof makeTempRoot>;
  let server: ServerUnix;
  const seenIds: unknown[] = [];
  const clients: ClientUnix[] = [];

  function clientFor(options: ConstructorParameters<typeof ClientUnix>[0]): ClientUnix {
    const client = new ClientUnix(options);
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    workspace = makeTempRoot();
    seenIds.length = 0;
    server = new ServerUnix({ root: workspace.root, log: new MemoryLog() });
    server.addHandler("health", (request: IpcRequest) => {
      seenIds.push(request.id);
      return Promise.resolve({ pid: 42 });
    });
    server.addHandler("trigger-sense", async (request: IpcRequest & { sense: string }) => {
      if (request.sense === "ghost") throw new IpcError("unknown_sense", 'unknown sense "ghost"');
      if (request.sense === "slow") await delay(40);
      if (request.sense === "never") await new Promise(() => undefined);
      return { sense: request.sense, accepted: true };
    });
    server.addHandler("trigger-workflow", (request: IpcRequest & { payload?: unknown }) =>
      Promise.resolve({
        runId: JSON.stringify(request.payload ?? null).length.toString(),
        status: "started",
      }),
    );
    await server.open();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
    workspace.cleanup();
  });

  describe("request", () => {
    it("resolves the result of the request, finding the socket from the workspace root", async () => {
      const client = clientFor({ root: workspace.root });
      expect(client.path).toBe(server.path);
      await expect(client.request("health", {})).resolves.toEqual({ pid: 42 });
      await expect(client.request("trigger-sense", { sense: "cpu" })).resolves.toEqual({
        sense: "cpu",
        accepted: true,
      });
    });

    it("numbers requests with increasing ids", async () => {
      const client = clientFor({ root: workspace.root });
      await client.request("health", {});
      await client.request("health", {});
      await Promise.all([client.request("health", {}), client.request("health", {})]);
      expect(seenIds).toEqual([1, 2, 3, 4]);
    });

    it("matches pipelined answers to their requests", async () => {
      const client = clientFor({ root: workspace.root });
      const senses = ["slow", "a", "b", "slow", "c"];
      const results = await Promise.all(
        senses.map((sense) => client.request("trigger-sense", { sense })),
      );
      expect(results.map((r) => r.sense)).toEqual(senses);
    });

    it("rejects with the IpcError of an error answer, its code and message restored", async () => {
      const client = clientFor({ root: workspace.root });
      const error = await client
        .request("trigger-sense", { sense: "ghost" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IpcError);
      expect(error).toMatchObject({ code: "unknown_sense", message: 'unknown sense "ghost"' });
      await expect(client.request("health", {})).resolves.toEqual({ pid: 42 });
    });

    it("refuses a request over 1 MiB before sending it, and stays connected", async () => {
      const client = clientFor({ root: workspace.root });
      const payload = "x".repeat(MAX_LINE_BYTES);
      await expect(
        client.request("trigger-workflow", { workflow: "w", payload }),
      ).rejects.toMatchObject({
        name: "IpcError",
        code: "too_large",
      });
      await expect(
        client.request("trigger-workflow", { workflow: "w", payload: "small" }),
      ).resolves.toEqual({
        runId: "7",
        status: "started",
      });
    });

    it("rejects a payload that cannot be written as JSON", async () => {
      const client = clientFor({ root: workspace.root });
      await expect(
        client.request("trigger-workflow", { workflow: "w", payload: 1n }),
      ).rejects.toThrow(TypeError);
    });
  });

  describe("failures", () => {
    it("throws DaemonUnreachableError when the socket does not exist", async () => {
      const empty = join(workspace.root, "empty");
      mkdirSync(empty);
      const client = clientFor({ root: empty });
      const error = await client.request("health", {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DaemonUnreachableError);
      expect(error).toMatchObject({ code: "ENOENT", path: join(empty, "nerve.sock") });
    });

    it("throws DaemonUnreachableError when nothing listens on the socket", async () => {
      const path = join(workspace.root, "stale.sock");
      leaveStaleSocket(path);
      const client = clientFor({ path });
      await expect(client.connect()).rejects.toMatchObject({
        name: "DaemonUnreachableError",
        code: "ECONNREFUSED",
      });
      // A later attempt tries again instead of repeating the first failure.
      await expect(client.connect()).rejects.toThrow(DaemonUnreachableError);
    });

    it("times out a request without an answer", async () => {
      const client = clientFor({ root: workspace.root, timeoutMs: 100 });
      const error = await client
        .request("trigger-sense", { sense: "never" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IpcTimeoutError);
      expect((error as Error).message).toBe(
        `the daemon on ${server.path} did not answer trigger-sense #1 within 100 ms`,
      );
    });

    it("ignores an answer that comes after its request timed out", async () => {
      const client = clientFor({ root: workspace.root });
      await expect(
        client.request("trigger-sense", { sense: "slow" }, { timeoutMs: 1 }),
      ).rejects.toThrow(IpcTimeoutError);
      await delay(60);
      await expect(client.request("trigger-sense", { sense: "cpu" })).resolves.toEqual({
        sense: "cpu",
        accepted: true,
      });
    });

    it("rejects pending requests with DaemonDisconnectedError when the daemon goes away", async () => {
      const client = clientFor({ root: workspace.root });
      await client.connect();
      const pending = client.request("trigger-sense", { sense: "never" }).catch((e: unknown) => e);
      await delay(10);
      await server.close();
      const error = await pending;
      expect(error).toBeInstanceOf(DaemonDisconnectedError);
      expect((error as Error).message).toContain("before answering trigger-sense #1");
    });

    it("rejects pending requests with ClientStateError when closed, and can connect again", async () => {
      const client = clientFor({ root: workspace.root });
      await client.connect();
      const pending = client.request("trigger-sense", { sense: "never" }).catch((e: unknown) => e);
      await delay(10);
      await client.close();
      await client.close();
      expect(await pending).toBeInstanceOf(ClientStateError);
      await expect(client.request("health", {})).resolves.toEqual({ pid: 42 });
    });

    it("rejects a connect that close() interrupts", async () => {
      const client = clientFor({ root: workspace.root });
      const connecting = client.connect();
      await client.close();
      await expect(connecting).rejects.toThrow(/closed while connecting/);
      await expect(client.request("health", {})).resolves.toEqual({ pid: 42 });
    });

    it("needs a root or a path", () => {
      expect(() => new ClientUnix({})).toThrow(/needs a workspace root or a socket path/);
    });
  });

  describe("as a Nest ClientProxy", () => {
    it("answers send() with an Observable of the result, and errors with the IpcError", async () => {
      const client = clientFor({ root: workspace.root });
      await expect(lastValueFrom(client.send("trigger-sense", { sense: "cpu" }))).resolves.toEqual({
        sense: "cpu",
        accepted: true,
      });
      await expect(
        lastValueFrom(client.send("trigger-sense", { sense: "ghost" })),
      ).rejects.toMatchObject({
        code: "unknown_sense",
      });
    });

    it("waits for the answer of an emitted event", async () => {
      const client = clientFor({ root: workspace.root });
      await expect(lastValueFrom(client.emit("health", {}))).resolves.toEqual({ pid: 42 });
    });

    it("unwraps to the socket once connected and forwards socket events", async () => {
      const client = clientFor({ root: workspace.root });
      expect(() => client.unwrap()).toThrow(ClientStateError);
      let closes = 0;
      client.on("close", () => (closes += 1));
      await client.connect();
      expect(client.unwrap<Socket>().writable).toBe(true);
      await client.close();
      expect(closes).toBe(1);
    });

    it("reports a failed connection on its status", async () => {
      const client = clientFor({ path: join(workspace.root, "missing.sock") });
      const states: string[] = [];
      const subscription = client.status.subscribe((s) => states.push(s));
      await client.connect().catch(() => undefined);
      await delay(10);
      subscription.unsubscribe();
      expect(states).toEqual(["connecting", "disconnected"]);
    });

    it("reports its status", async () => {
      const client = clientFor({ root: workspace.root });
      const states: string[] = [];
      const subscription = client.status.subscribe((s) => states.push(s));
      await client.connect();
      await client.close();
      subscription.unsubscribe();
      expect(states).toEqual(["connecting", "connected", "disconnected"]);
    });
  });
});
