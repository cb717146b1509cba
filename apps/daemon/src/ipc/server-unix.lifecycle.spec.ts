import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import type { Server as NetServer } from "node:net";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { socketPathFor } from "@nerve/core";
import { leaveStaleSocket, makeTempRoot, MemoryLog } from "./__fixtures__/ipc-fixtures.js";
import { LineClient } from "./__fixtures__/line-client.js";
import { ServerStateError } from "./errors/server-state.error.js";
import {
  AnotherDaemonListeningError,
  SocketPathOccupiedError,
  SocketPathTooLongError,
  UnsafeSocketDirectoryError,
} from "./errors/socket-file.error.js";
import { ServerUnix, type UnixServerState } from "./server-unix.js";
import { canonicalRoot, daemonSocketPath } from "./socket-location.js";

describe(ServerUnix.name, () => {
  let workspace: ReturnType<typeof makeTempRoot>;
  const servers: ServerUnix[] = [];

  function serverFor(root: string, options: { path?: string; tmpdir?: string } = {}): ServerUnix {
    const server = new ServerUnix({ root, log: new MemoryLog(), ...options });
    server.addHandler("health", () => Promise.resolve({ up: true }));
    servers.push(server);
    return server;
  }

  beforeEach(() => {
    workspace = makeTempRoot();
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
    workspace.cleanup();
  });

  describe("listen", () => {
    it("listens on nerve.sock in the workspace with mode 0600", async () => {
      const server = serverFor(workspace.root);
      await server.open();
      expect(server.path).toBe(join(canonicalRoot(workspace.root), "nerve.sock"));
      const stats = lstatSync(server.path);
      expect(stats.isSocket()).toBe(true);
      expect(stats.mode & 0o777).toBe(0o600);
      expect(server.state).toBe("listening");
    });

    it("restores the process umask after binding", async () => {
      const before = process.umask(0o022);
      try {
        await serverFor(workspace.root).open();
        expect(process.umask(0o022)).toBe(0o022);
      } finally {
        process.umask(before);
      }
    });

    it("removes a stale socket that nobody answers on", async () => {
      const path = join(canonicalRoot(workspace.root), "nerve.sock");
      leaveStaleSocket(path);
      expect(lstatSync(path).isSocket()).toBe(true);
      const server = serverFor(workspace.root);
      await server.open();
      const client = await LineClient.connect(path);
      expect(await client.ask({ id: 1, type: "health" })).toMatchObject({ ok: true });
      client.close();
    });

    it("refuses to start when another daemon answers on the path, and leaves its socket alone", async () => {
      const first = serverFor(workspace.root);
      await first.open();
      const second = serverFor(workspace.root);
      await expect(second.open()).rejects.toThrow(AnotherDaemonListeningError);
      await expect(serverFor(workspace.root).open()).rejects.toThrow(
        `another daemon is listening on ${first.path}`,
      );
      expect(second.state).toBe("closed");
      const client = await LineClient.connect(first.path);
      expect(await client.ask({ id: 1, type: "health" })).toMatchObject({ ok: true });
      client.close();
    });

    it("refuses a path held by something that is not a socket, and keeps it", async () => {
      const path = join(workspace.root, "nerve.sock");
      writeFileSync(path, "mine");
      await expect(serverFor(workspace.root).open()).rejects.toThrow(SocketPathOccupiedError);
      await expect(serverFor(workspace.root).open()).rejects.toThrow(/a regular file is there/);
      expect(readFileSync(path, "utf8")).toBe("mine");
    });

    it("refuses a path longer than the system allows, naming it", async () => {
      const path = join(workspace.root, `${"s".repeat(120)}.sock`);
      const server = serverFor(workspace.root, { path });
      await expect(server.open()).rejects.toThrow(SocketPathTooLongError);
      expect(existsSync(path)).toBe(false);
    });

    it("reports failure through Nest's listen callback", async () => {
      await serverFor(workspace.root).open();
      const error = await new Promise((resolve) => serverFor(workspace.root).listen(resolve));
      expect(error).toBeInstanceOf(AnotherDaemonListeningError);
      const ok = await new Promise((resolve) =>
        serverFor(workspace.root, { path: join(workspace.root, "b.sock") }).listen(resolve),
      );
      expect(ok).toBeUndefined();
    });

    it("listens once only", async () => {
      const server = serverFor(workspace.root);
      await server.open();
      await expect(server.open()).rejects.toThrow(ServerStateError);
    });
  });

  describe("long workspace paths", () => {
    let longRoot: string;
    let base: string;

    beforeEach(() => {
      longRoot = join(workspace.root, "a-workspace-folder-with-a-rather-long-name".repeat(3));
      mkdirSync(longRoot);
      base = join(workspace.root, "tmp");
      mkdirSync(base);
    });

    it("listens on the per-user fallback path, in a 0700 directory, where the client looks", async () => {
      expect(Buffer.byteLength(join(longRoot, "nerve.sock"))).toBeGreaterThan(100);
      const server = serverFor(longRoot, { tmpdir: base });
      await server.open();
      expect(server.path).toBe(socketPathFor(canonicalRoot(longRoot), { tmpdir: base }));
      expect(server.path).toBe(daemonSocketPath(longRoot, { tmpdir: base }));
      expect(dirname(server.path)).toBe(join(base, `nerve-${process.getuid!()}`));
      expect(statSync(dirname(server.path)).mode & 0o777).toBe(0o700);
      expect(statSync(server.path).mode & 0o777).toBe(0o600);
      const client = await LineClient.connect(daemonSocketPath(longRoot, { tmpdir: base }));
      expect(await client.ask({ id: 1, type: "health" })).toMatchObject({ ok: true });
      client.close();
    });

    it("tightens a fallback directory that others could enter", async () => {
      const dir = join(base, `nerve-${process.getuid!()}`);
      mkdirSync(dir, { mode: 0o755 });
      chmodSync(dir, 0o755);
      await serverFor(longRoot, { tmpdir: base }).open();
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    });

    it("refuses a fallback directory that is a symbolic link", async () => {
      const elsewhere = join(workspace.root, "elsewhere");
      mkdirSync(elsewhere);
      symlinkSync(elsewhere, join(base, `nerve-${process.getuid!()}`));
      await expect(serverFor(longRoot, { tmpdir: base }).open()).rejects.toThrow(
        UnsafeSocketDirectoryError,
      );
    });
  });

  describe("close", () => {
    it("destroys open connections and removes the socket file", async () => {
      const server = serverFor(workspace.root);
      await server.open();
      const clients = await Promise.all([1, 2, 3].map(() => LineClient.connect(server.path)));
      await clients[0].ask({ id: 1, type: "health" });
      await server.close();
      await Promise.all(clients.map((c) => c.closed));
      expect(clients.every((c) => c.ended)).toBe(true);
      expect(existsSync(server.path)).toBe(false);
      await expect(LineClient.connect(server.path)).rejects.toMatchObject({ code: "ENOENT" });
    });

    it("can be called twice, and before listening", async () => {
      const server = serverFor(workspace.root);
      await server.open();
      await Promise.all([server.close(), server.close()]);
      await server.close();
      expect(server.state).toBe("closed");
      const idle = serverFor(workspace.root);
      await idle.close();
      await expect(idle.open()).rejects.toThrow(ServerStateError);
    });

    it("reports each state on the status stream", async () => {
      const server = serverFor(workspace.root);
      const states: UnixServerState[] = [];
      const subscription = server.status.subscribe((state) => states.push(state));
      await server.open();
      await server.close();
      subscription.unsubscribe();
      expect(states).toEqual(["idle", "starting", "listening", "closing", "closed"]);
    });
  });

  describe("the underlying server", () => {
    it("forwards events registered before listening and unwraps to the net.Server", async () => {
      const server = serverFor(workspace.root);
      expect(() => server.unwrap()).toThrow(ServerStateError);
      let connections = 0;
      server.on("connection", () => (connections += 1));
      await server.open();
      const client = await LineClient.connect(server.path);
      await client.ask({ id: 1, type: "health" });
      client.close();
      expect(connections).toBe(1);
      expect(server.unwrap<NetServer>().listening).toBe(true);
    });
  });
});
