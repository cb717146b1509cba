import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tempDir } from "./cli.js";
import { waitFor } from "./workspace.js";

/** Where Debian's package puts it; `NATS_SERVER` overrides. */
export const NATS_SERVER = process.env.NATS_SERVER ?? "/usr/sbin/nats-server";

/** Whether a nats-server binary is there to run. */
export const natsServerAvailable = existsSync(NATS_SERVER);

/** A real nats-server with JetStream on a free loopback port and a temp store dir. */
export interface NatsServer {
  url: string;
  port: number;
  /** Kills it (SIGKILL: a crash, not a shutdown) and waits for it to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store dir. */
  restart(): Promise<void>;
  /** Kills it and removes its store dir. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startNatsServer(): Promise<NatsServer> {
  const port = await freePort();
  const store = tempDir("nerve-nats-");
  let child: ChildProcess | null = null;
  const launch = async (): Promise<void> => {
    const proc = spawn(
      NATS_SERVER,
      ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", store.dir],
      {
        stdio: "ignore",
      },
    );
    child = proc;
    await waitFor(() => accepts(port), `nats-server on port ${port}`);
  };
  const kill = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((resolve) => proc.once("exit", resolve));
    proc.kill("SIGKILL");
    await gone;
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    kill,
    restart: launch,
    stop: async () => {
      await kill();
      store.cleanup();
    },
  };
}
