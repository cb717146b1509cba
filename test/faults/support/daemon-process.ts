import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, realpathSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { socketPathFor, type HealthResult } from "@nerve/core";
import { childPids } from "../../support/daemon.js";
import { waitFor } from "../../support/workspace.js";

/** The built daemon entry: the fault suite runs exactly what `nerve daemon start` runs. */
export const DAEMON_MAIN =
  process.env.NERVE_FAULT_DAEMON_MAIN ??
  fileURLToPath(new URL("../../../apps/daemon/dist/main.js", import.meta.url));

/** The commit-counting preload (see commit-hook.mjs). */
export const COMMIT_HOOK = fileURLToPath(new URL("./commit-hook.mjs", import.meta.url));

/** How one daemon process ended. */
export interface DaemonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A daemon process the suite started. */
export interface DaemonProcess {
  root: string;
  pid: number;
  /** Settles once the process is gone. */
  exited: Promise<DaemonExit>;
  /** Whether it is still running. */
  readonly alive: boolean;
}

const running = new Set<DaemonProcess>();

/** Where a fault is injected into a daemon's commits or its worker's (see commit-hook.mjs). */
export interface CommitFault {
  process: "daemon" | "sense-worker";
  /** The file holding N; the test writes it to arm the fault. */
  arm: string;
  /** Gets a line per fault fired. */
  fired: string;
  /** Regular expression on the database file name. */
  db: string;
  kill: "self" | `child:${string}`;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  fault?: CommitFault;
}

/**
 * Starts `node apps/daemon/dist/main.js --root <root>` in the background (stdout and stderr to
 * `logs/daemon.out`, as `nerve daemon start` does) and waits until it answers `health`.
 */
export async function startDaemonProcess(
  root: string,
  options: SpawnOptions = {},
): Promise<DaemonProcess> {
  const daemon = spawnDaemonProcess(root, options);
  await waitFor(
    async () => {
      if (!daemon.alive) throw new Error(`the daemon exited during start-up`);
      const health = await healthOf(root).catch(() => null);
      return health?.pid === daemon.pid ? health : undefined;
    },
    `the daemon of ${root} to answer health`,
    60_000,
  );
  return daemon;
}

/** Starts the daemon without waiting for it (it may die on purpose before it answers). */
export function spawnDaemonProcess(root: string, options: SpawnOptions = {}): DaemonProcess {
  mkdirSync(join(root, "logs"), { recursive: true });
  const out = openSync(join(root, "logs", "daemon.out"), "a");
  const env: NodeJS.ProcessEnv = { ...process.env, NERVE_ROOT: "", ...options.env };
  delete env.NODE_OPTIONS;
  const fault = options.fault;
  if (fault !== undefined) {
    env.NODE_OPTIONS = `--import ${COMMIT_HOOK}`;
    env.NERVE_FAULT_PROCESS = fault.process;
    env.NERVE_FAULT_ARM = fault.arm;
    env.NERVE_FAULT_FIRED = fault.fired;
    env.NERVE_FAULT_DB = fault.db;
    env.NERVE_FAULT_KILL = fault.kill;
  }
  const child = spawn(process.execPath, [DAEMON_MAIN, "--root", root], {
    stdio: ["ignore", out, out],
    env,
  });
  closeSync(out);
  let alive = true;
  const exited = new Promise<DaemonExit>((resolve) => {
    child.once("exit", (code, signal) => {
      alive = false;
      resolve({ code, signal });
    });
  });
  const daemon: DaemonProcess = {
    root,
    pid: child.pid!,
    exited,
    get alive() {
      return alive;
    },
  };
  running.add(daemon);
  void exited.then(() => running.delete(daemon));
  return daemon;
}

/** SIGKILL: no drain, no flush. Resolves once it and its workers are gone. */
export async function killDaemon(daemon: DaemonProcess): Promise<void> {
  const workers = childPids(daemon.pid);
  if (daemon.alive) process.kill(daemon.pid, "SIGKILL");
  await daemon.exited;
  await workersGone(workers);
}

/** Waits for a daemon that kills itself (a fault fired), then for its workers to go. */
export async function waitForDeath(daemon: DaemonProcess, what: string): Promise<DaemonExit> {
  const workers = childPids(daemon.pid);
  await waitFor(() => !daemon.alive, what, 60_000);
  await workersGone(workers);
  return daemon.exited;
}

/** SIGTERM and wait: the graceful shutdown. */
export async function stopDaemon(daemon: DaemonProcess): Promise<DaemonExit> {
  const workers = childPids(daemon.pid);
  if (daemon.alive) process.kill(daemon.pid, "SIGTERM");
  const exit = await Promise.race([
    daemon.exited,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000)),
  ]);
  if (exit === null) {
    await killDaemon(daemon);
    throw new Error(`the daemon of ${daemon.root} did not stop within 30 s of SIGTERM`);
  }
  await workersGone(workers);
  return exit;
}

/** Kills every daemon the suite started and that still runs (afterEach / afterAll). */
export async function reapDaemons(): Promise<void> {
  await Promise.all([...running].map((daemon) => killDaemon(daemon)));
}

function workersGone(pids: number[]): Promise<true> {
  return waitFor(
    () => pids.every((pid) => !isAlive(pid)),
    `worker processes ${pids.join(", ")} to exit`,
    30_000,
  );
}

/** Whether a process runs (a zombie counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state letter follows the parenthesised command name, which may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** The workspace's socket path, as the daemon derives it. */
export function socketOf(root: string): string {
  return socketPathFor(realpathSync(root));
}

/** One IPC response line, parsed. */
export interface IpcAnswer {
  id: unknown;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

/**
 * Sends raw bytes on a new connection and collects the answer lines until `lines` arrived, the
 * daemon closed the connection, or `timeoutMs` passed. Ends its side after writing unless
 * `keepOpen`.
 */
export function exchange(
  root: string,
  data: string | Buffer,
  options: { lines?: number; timeoutMs?: number; keepOpen?: boolean } = {},
): Promise<{ lines: string[]; closed: boolean }> {
  const { lines: wanted = Infinity, timeoutMs = 20_000, keepOpen = false } = options;
  return new Promise((resolve, reject) => {
    const socket = connect(socketOf(root));
    const lines: string[] = [];
    let tail = "";
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ lines, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on("error", (error) => {
      if (done) return;
      // A daemon that closed on us after answering (too_large) may reset the connection.
      if (lines.length > 0) finish(true);
      else {
        done = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on("data", (chunk: Buffer) => {
      tail += chunk.toString("utf8");
      let newline;
      while ((newline = tail.indexOf("\n")) >= 0) {
        lines.push(tail.slice(0, newline));
        tail = tail.slice(newline + 1);
      }
      if (lines.length >= wanted) finish(false);
    });
    socket.on("close", () => finish(true));
    socket.on("connect", () => {
      socket.write(data, () => {
        if (!keepOpen) socket.end();
      });
    });
  });
}

/** One request, one parsed answer. */
export async function ask(
  root: string,
  request: Record<string, unknown>,
  timeoutMs = 20_000,
): Promise<IpcAnswer> {
  const { lines } = await exchange(root, `${JSON.stringify({ id: 1, ...request })}\n`, {
    lines: 1,
    timeoutMs,
  });
  if (lines.length === 0) throw new Error(`no answer to ${JSON.stringify(request)}`);
  return JSON.parse(lines[0]) as IpcAnswer;
}

/** The daemon's `health` result; rejects if it does not answer. */
export async function healthOf(root: string, timeoutMs = 10_000): Promise<HealthResult> {
  const answer = await ask(root, { type: "health" }, timeoutMs);
  if (!answer.ok) throw new Error(`health failed: ${JSON.stringify(answer.error)}`);
  return answer.result as HealthResult;
}
