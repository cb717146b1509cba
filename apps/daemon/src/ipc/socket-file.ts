import { chmodSync, lstatSync, mkdirSync, rmSync, type Stats } from "node:fs";
import { connect } from "node:net";
import {
  AnotherDaemonListeningError,
  SocketPathOccupiedError,
  SocketPathTooLongError,
  UnsafeSocketDirectoryError,
} from "./errors/socket-file.error.js";
import { isErrno } from "./is-errno.js";

/**
 * Longest path `bind` accepts, in bytes: `sun_path` holds 108 bytes on Linux and 104 on macOS
 * and the BSDs, the terminating NUL included.
 */
export const MAX_BIND_PATH_BYTES = process.platform === "linux" ? 107 : 103;

/** How long a connection attempt to an existing socket may take before it counts as "in use". */
const PROBE_TIMEOUT_MS = 1_000;

/** @throws SocketPathTooLongError when the kernel would refuse to bind `path`. */
export function checkSocketPathLength(path: string): void {
  const bytes = Buffer.byteLength(path, "utf8");
  if (bytes > MAX_BIND_PATH_BYTES)
    throw new SocketPathTooLongError(path, bytes, MAX_BIND_PATH_BYTES);
}

/**
 * Makes the per-user directory of fallback sockets (mode 0700), or checks the one that exists:
 * in a shared temporary directory someone else may have created it first.
 *
 * @throws UnsafeSocketDirectoryError when it is not a directory or not ours.
 */
export function ensurePrivateDirectory(directory: string): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const stats = lstatSync(directory);
  if (!stats.isDirectory()) {
    throw new UnsafeSocketDirectoryError(directory, `it is a ${describeEntry(stats)}`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new UnsafeSocketDirectoryError(directory, `it is owned by uid ${stats.uid}, not ${uid}`);
  }
  if ((stats.mode & 0o077) !== 0) chmodSync(directory, 0o700);
}

/**
 * Clears the way for a new socket at `path`. Nothing there: done. A socket nobody answers on
 * (left by a daemon that died): removed. A socket that accepts a connection: refused, as is
 * anything that is not a socket (it may be a user's file).
 *
 * @throws AnotherDaemonListeningError, SocketPathOccupiedError
 */
export async function removeStaleSocket(path: string): Promise<void> {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return;
    throw error;
  }
  if (!stats.isSocket()) throw new SocketPathOccupiedError(path, describeEntry(stats));
  if (await answers(path)) throw new AnotherDaemonListeningError(path);
  rmSync(path, { force: true });
}

/** True when a process accepts connections on the socket; false when they are refused. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = connect(path);
    const finish = (result: boolean | Error): void => {
      probe.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    // A listener too busy to accept still owns the path: treat silence as an answer.
    probe.setTimeout(PROBE_TIMEOUT_MS, () => finish(true));
    probe.once("connect", () => finish(true));
    probe.once("error", (error) => {
      if (isErrno(error, "ECONNREFUSED") || isErrno(error, "ENOENT")) finish(false);
      else finish(error);
    });
  });
}

function describeEntry(stats: Stats): string {
  if (stats.isSymbolicLink()) return "symbolic link";
  if (stats.isDirectory()) return "directory";
  if (stats.isFile()) return "regular file";
  if (stats.isFIFO()) return "named pipe";
  return "special file";
}
