// A real daemon for benchmarks: `node <DAEMON_NODE_FLAGS> apps/daemon/dist/main.js --root DIR`
// as `nerve daemon start` spawns it (socket, watcher, workers), a bare newline-JSON client on its socket, and a
// stop that waits for the process to exit.
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { DAEMON_NODE_FLAGS, socketPathFor } from "@nerve/core";

const MAIN = fileURLToPath(new URL("../../apps/daemon/dist/main.js", import.meta.url));

/** One open connection; requests are answered in order (SPEC §8), so a FIFO matches answers. */
export async function lineClient(path) {
  const socket = connect(path);
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.setEncoding("utf8");
  socket.setNoDelay?.(true);
  const waiting = [];
  let buffered = "";
  socket.on("data", (chunk) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.(JSON.parse(line));
    }
  });
  socket.on("error", () => undefined);
  let id = 0;
  return {
    /** Writes one request; resolves with its response object. */
    request(type, params = {}) {
      id += 1;
      const line = `${JSON.stringify({ id, type, ...params })}\n`;
      return new Promise((resolve) => {
        waiting.push(resolve);
        socket.write(line);
      });
    },
    /** Writes a prepared line; resolves with the response. For timed sends. */
    send(line) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        socket.write(line);
      });
    },
    close() {
      socket.destroy();
    },
  };
}

/**
 * Starts the daemon for `root`; resolves once `health` answers and every sense group has a
 * worker. Returns its pid, a client and `stop()`.
 */
export async function startDaemon(root, { timeoutMs = 120_000 } = {}) {
  // As `nerve daemon start` runs it: with the daemon's node flags.
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, MAIN, "--root", root], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const path = socketPathFor(root);
  const deadline = Date.now() + timeoutMs;
  let client = null;
  let health = null;
  while (health === null) {
    if (gone) throw new Error(`the daemon exited before it answered health: ${stderr.trim()}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the daemon did not answer health within ${timeoutMs} ms: ${stderr.trim()}`);
    }
    try {
      client ??= await lineClient(path);
      const answer = await client.request("health");
      const groups = answer.ok ? answer.result.groups : [];
      if (groups.every((g) => g.pid !== null)) health = answer.result;
    } catch {
      client = null;
    }
    if (health === null) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: child.pid,
    client,
    health,
    socketPath: path,
    /** Asks it to shut down and waits for the exit; SIGKILL if it takes over 15 s. */
    async stop() {
      if (gone) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(timer);
      client.close();
    },
  };
}
