import { createConnection, createServer } from "node:net";
import type { CompiledDashboard, CompiledFederation } from "@nerve/core";
import type { DoctorCheck } from "./doctor-checks.js";

/** How long a federation server gets to accept a TCP connection. */
const CONNECT_TIMEOUT_MS = 2_000;

/**
 * Whether the dashboard can listen where nerve.yaml says. A daemon of this workspace that runs
 * holds the port itself: then the port is not checked.
 */
export async function checkDashboardPort(
  dashboard: CompiledDashboard,
  daemonRunning: boolean,
): Promise<DoctorCheck> {
  const where = `${dashboard.host}:${dashboard.port}`;
  if (daemonRunning) {
    return {
      name: "dashboard",
      status: "skip",
      message: `the daemon runs: it holds ${where}`,
      fix: null,
    };
  }
  const problem = await new Promise<string | null>((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen(dashboard.port, dashboard.host, () => server.close(() => resolve(null)));
  });
  if (problem === null) {
    return { name: "dashboard", status: "ok", message: `${where} is free`, fix: null };
  }
  return {
    name: "dashboard",
    status: "fail",
    message: `cannot listen on ${where} (${problem === "EADDRINUSE" ? "the port is in use by another program" : problem})`,
    fix: "stop what holds the port, or set another dashboard.port in nerve.yaml (0 picks a free one)",
  };
}

/** Whether each NATS server of `federation.servers` accepts a TCP connection. */
export async function checkFederationServers(federation: CompiledFederation): Promise<DoctorCheck> {
  const results = await Promise.all(federation.servers.map((server) => reach(server)));
  const down = results.filter((result) => result.problem !== null);
  if (down.length === 0) {
    return {
      name: "federation",
      status: "ok",
      message: `${federation.servers.length} server(s) reachable`,
      fix: null,
    };
  }
  return {
    name: "federation",
    status: down.length === results.length ? "fail" : "warn",
    message: down.map((result) => `${result.server}: ${result.problem}`).join("; "),
    fix:
      "start nats-server with JetStream (-js) there, or correct federation.servers; " +
      "signals wait in the outbox until a server answers",
  };
}

function reach(server: string): Promise<{ server: string; problem: string | null }> {
  let host: string;
  let port: number;
  try {
    const url = new URL(server);
    host = url.hostname;
    port = Number(url.port || 4222);
  } catch {
    return Promise.resolve({ server, problem: "not a URL" });
  }
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (problem: string | null): void => {
      socket.destroy();
      resolve({ server, problem });
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(`no answer within ${CONNECT_TIMEOUT_MS} ms`));
    socket.once("connect", () => done(null));
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}
