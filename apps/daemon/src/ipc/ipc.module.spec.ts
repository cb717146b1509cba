import type { TestingModule } from "@nestjs/testing";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NERVE_VERSION } from "@nerve/core";
import { MissingWorkflowEngine } from "../workflow/workflow-launcher.js";
import { fakeDaemon, ipcTestingModule, type FakeDaemon } from "./__fixtures__/daemon-fakes.js";
import { makeTempRoot } from "./__fixtures__/ipc-fixtures.js";
import { ClientUnix } from "./client-unix.js";
import { SHUTDOWN_REASON } from "./handlers/handle-shutdown.js";
import { IpcModule } from "./ipc.module.js";
import { ServerUnix } from "./server-unix.js";
import { daemonSocketPath } from "./socket-location.js";

describe(IpcModule.name, () => {
  let workspace: ReturnType<typeof makeTempRoot>;
  let app: TestingModule | null = null;
  let client: ClientUnix | null = null;
  let daemon: FakeDaemon;

  async function boot(ipc?: boolean): Promise<TestingModule> {
    daemon = fakeDaemon({ root: workspace.root, ipc }, new MissingWorkflowEngine());
    app = await ipcTestingModule(daemon).compile();
    await app.init();
    return app;
  }

  function connectClient(): ClientUnix {
    client = new ClientUnix({ root: workspace.root });
    return client;
  }

  beforeEach(() => {
    workspace = makeTempRoot();
  });

  afterEach(async () => {
    await client?.close();
    client = null;
    await app?.close();
    app = null;
    workspace.cleanup();
  });

  it("listens on the workspace socket at bootstrap and answers every request type", async () => {
    await boot();
    const ipc = connectClient();
    const health = await ipc.request("health", {});
    expect(health).toMatchObject({
      pid: process.pid,
      root: workspace.root,
      version: NERVE_VERSION,
    });
    expect(health.groups).toEqual(daemon.executor.health);
    await expect(ipc.request("list-senses", {})).resolves.toEqual([]);
    await expect(ipc.request("trigger-sense", { sense: "disk" })).resolves.toEqual({
      sense: "disk",
      accepted: true,
    });
    expect(daemon.senses.triggered).toEqual(["disk"]);
    await expect(ipc.request("trigger-sense", { sense: "gpu" })).rejects.toMatchObject({
      code: "unknown_sense",
    });
    await expect(ipc.request("trigger-workflow", { workflow: "triage" })).rejects.toMatchObject({
      code: "internal",
      message: expect.stringContaining("no workflow engine") as string,
    });
    await expect(ipc.request("shutdown", {})).resolves.toEqual({ stopping: true });
  });

  it("requests the shutdown after answering a shutdown request", async () => {
    await boot();
    const ipc = connectClient();
    await ipc.request("shutdown", {});
    await expect(daemon.kernel.shutdownRequested).resolves.toBe(SHUTDOWN_REASON);
  });

  it("logs where it listens and internal failures to the daemon log", async () => {
    const module = await boot();
    const ipc = connectClient();
    await ipc.request("trigger-workflow", { workflow: "triage" }).catch(() => undefined);
    const path = module.get(ServerUnix).path;
    await app?.close();
    app = null;
    const text = readFileSync(join(workspace.root, "logs", "nerve.log"), "utf8");
    expect(text).toContain(`[ipc] listening on ${path}`);
    expect(text).toContain("trigger-workflow request 1 failed: cannot start workflow");
  });

  it("closes the socket and removes its file when the application closes", async () => {
    const module = await boot();
    const server = module.get(ServerUnix);
    expect(existsSync(server.path)).toBe(true);
    await app?.close();
    app = null;
    expect(server.state).toBe("closed");
    expect(existsSync(server.path)).toBe(false);
  });

  it("does not listen when the options turn IPC off", async () => {
    const module = await boot(false);
    expect(module.get(ServerUnix).state).toBe("idle");
    expect(existsSync(daemonSocketPath(workspace.root))).toBe(false);
    await expect(connectClient().connect()).rejects.toMatchObject({
      name: "DaemonUnreachableError",
    });
  });

  it("exports the server so the kernel can close it early", async () => {
    const module = await boot();
    const server = module.get(ServerUnix);
    await server.close();
    await expect(connectClient().connect()).rejects.toMatchObject({
      name: "DaemonUnreachableError",
    });
  });
});
