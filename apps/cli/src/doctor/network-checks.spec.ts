import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkDashboardPort, checkFederationServers } from "./network-checks.js";

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, port: (server.address() as { port: number }).port });
    });
  });
}

describe("network checks of nerve doctor", () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it("fails a dashboard port another program holds, and names the fix", async () => {
    const { server, port } = await listen();
    servers.push(server);
    const check = await checkDashboardPort({ host: "127.0.0.1", port }, false);
    expect(check).toMatchObject({ name: "dashboard", status: "fail" });
    expect(check.message).toMatch(/in use by another program/);
    expect(check.fix).toMatch(/dashboard\.port/);
  });

  it("passes a free dashboard port, and skips it while the daemon holds it", async () => {
    const { server, port } = await listen();
    await new Promise((r) => server.close(r));
    expect((await checkDashboardPort({ host: "127.0.0.1", port }, false)).status).toBe("ok");
    expect((await checkDashboardPort({ host: "127.0.0.1", port }, true)).status).toBe("skip");
  });

  it("reaches federation servers that answer and names those that do not", async () => {
    const { server, port } = await listen();
    servers.push(server);
    const closed = await listen();
    await new Promise((r) => closed.server.close(r));
    const federation = {
      node: "edge-1",
      publish: [],
      credentialsFile: null,
      servers: [`nats://127.0.0.1:${port}`],
    };
    expect((await checkFederationServers(federation)).status).toBe("ok");
    const down = await checkFederationServers({
      ...federation,
      servers: [`nats://127.0.0.1:${port}`, `nats://127.0.0.1:${closed.port}`],
    });
    expect(down.status).toBe("warn");
    expect(down.message).toContain(`nats://127.0.0.1:${closed.port}: ECONNREFUSED`);
    const none = await checkFederationServers({
      ...federation,
      servers: [`nats://127.0.0.1:${closed.port}`],
    });
    expect(none.status).toBe("fail");
  });
});
