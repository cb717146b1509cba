// A real nats-server with JetStream for the federation benchmarks: on a free loopback port with a
// temp store dir, started once per benchmark file. `NATS_SERVER` names the binary; otherwise the
// Debian path, then the PATH.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The nats-server binary to run, or null when there is none. */
export function natsServerPath() {
  if (process.env.NATS_SERVER)
    return existsSync(process.env.NATS_SERVER) ? process.env.NATS_SERVER : null;
  if (existsSync("/usr/sbin/nats-server")) return "/usr/sbin/nats-server";
  try {
    return execFileSync("which", ["nats-server"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Starts `binary -js` on a free loopback port; resolves once it accepts connections. */
export async function startNatsServer(binary, { timeoutMs = 10_000 } = {}) {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), "nerve-bench-nats-"));
  const child = spawn(binary, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", store], {
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with code ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`nats-server did not accept connections on port ${port} in ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(store, { recursive: true, force: true });
    },
  };
}

/** Rows saying a benchmark did not run because there is no nats-server. */
export function skippedRows(names, unitOf) {
  return names.map((name) => ({
    name,
    value: null,
    unit: unitOf(name),
    baseline: "skipped: nats-server not found",
    baselineValue: null,
    ratio: null,
    target: null,
    pass: null,
    skipped: "nats-server not found",
  }));
}
