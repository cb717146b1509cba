import { accessSync, constants, existsSync, readFileSync, statfsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { MAX_SOCKET_PATH_BYTES, socketPathFor } from "@nerve/core";
import { isProcessAlive, readPidFile } from "@nerve/daemon/client";

/** How one check came out: `fail` keeps the workspace from running, `warn` may. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One line of `nerve doctor`. */
export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  /** What was found. */
  message: string;
  /** How to fix it; null when there is nothing to fix. */
  fix: string | null;
}

/** The oldest Node.js Nerve runs on (package.json `engines`). */
export const MIN_NODE = [20, 19] as const;

/** Below this much free space the log store soon fails to write; below a tenth of it, now. */
export const LOW_DISK_BYTES = 512 * 1024 * 1024;

const ok = (name: string, message: string): DoctorCheck => ({
  name,
  status: "ok",
  message,
  fix: null,
});

export function checkNode(version = process.versions.node): DoctorCheck {
  const [major, minor] = version.split(".").map(Number);
  const [needMajor, needMinor] = MIN_NODE;
  if (major > needMajor || (major === needMajor && minor >= needMinor)) {
    return ok("node", `Node.js ${version}`);
  }
  return {
    name: "node",
    status: "fail",
    message: `Node.js ${version} is older than ${needMajor}.${needMinor}, the oldest Nerve runs on`,
    fix: `install Node.js ${needMajor}.${needMinor} or newer (e.g. the current LTS), then reinstall Nerve with it`,
  };
}

/** Loads the native SQLite driver and opens an in-memory database with it. */
export function checkSqlite(): DoctorCheck {
  try {
    const Database = createRequire(import.meta.url)("better-sqlite3") as new (path: string) => {
      prepare(sql: string): { get(): unknown };
      close(): void;
    };
    const db = new Database(":memory:");
    const { version } = db.prepare("SELECT sqlite_version() AS version").get() as {
      version: string;
    };
    db.close();
    return ok("sqlite", `better-sqlite3 loads (SQLite ${version})`);
  } catch (error) {
    return {
      name: "sqlite",
      status: "fail",
      message: `better-sqlite3 does not load: ${(error as Error).message.split("\n")[0]}`,
      fix: "its native addon is missing or built for another Node.js: reinstall Nerve with install scripts allowed (npm install -g nerve --allow-scripts=better-sqlite3,esbuild), or run npm rebuild better-sqlite3 in Nerve's folder",
    };
  }
}

/** The workspace folder and the folders the daemon writes must be writable by this user. */
export function checkPermissions(root: string): DoctorCheck {
  const folders = [root, ...["data", "logs", ".nerve"].map((dir) => join(root, dir))];
  const denied = folders.filter((dir) => existsSync(dir) && !writable(dir));
  if (denied.length === 0) return ok("permissions", `${root} is writable`);
  return {
    name: "permissions",
    status: "fail",
    message: `not writable by this user: ${denied.join(", ")}`,
    fix: `give them back to the user that runs Nerve: chown -R $(id -un) ${denied.join(" ")}`,
  };
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The socket path the daemon will bind (a short fallback when the workspace path is long). */
export function checkSocketPath(root: string): DoctorCheck {
  const path = socketPathFor(root);
  const bytes = Buffer.byteLength(path, "utf8");
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    return {
      name: "socket",
      status: "fail",
      message: `the socket path ${path} is ${bytes} bytes, over the ${MAX_SOCKET_PATH_BYTES} a Unix socket takes`,
      fix: "set TMPDIR to a short folder (e.g. /tmp), or move the workspace to a shorter path",
    };
  }
  const where = path.startsWith(root)
    ? "in the workspace"
    : "a short path, the workspace path being long";
  return ok("socket", `${path} (${where})`);
}

/** A pid file whose process is gone (a daemon killed hard); the next start removes it. */
export function checkPidFile(root: string): DoctorCheck {
  const pid = readPidFile(root);
  if (pid === null) return ok("pid-file", "no daemon running, no pid file");
  if (isProcessAlive(pid)) return ok("pid-file", `the daemon runs (pid ${pid})`);
  return {
    name: "pid-file",
    status: "warn",
    message: `nerve.pid names pid ${pid}, which is not running (a daemon that was killed)`,
    fix: "nerve daemon start cleans it up; or delete nerve.pid",
  };
}

export function checkDisk(root: string): DoctorCheck {
  let free: number;
  try {
    const stats = statfsSync(root);
    free = stats.bavail * stats.bsize;
  } catch (error) {
    return {
      name: "disk",
      status: "skip",
      message: `cannot read the free space: ${(error as Error).message}`,
      fix: null,
    };
  }
  const mib = Math.floor(free / 1024 / 1024);
  if (free >= LOW_DISK_BYTES) return ok("disk", `${mib} MiB free`);
  return {
    name: "disk",
    status: free < LOW_DISK_BYTES / 10 ? "fail" : "warn",
    message: `only ${mib} MiB free where the workspace is`,
    fix: "free space, or archive old log rows: nerve store archive --older-than 7d --vacuum",
  };
}

/** Whether the SDK is where the daemon will look, and editors are pointed at it. */
export async function checkSdk(root: string): Promise<DoctorCheck> {
  const { resolveSdkSpecifier, editorConfig, EDITOR_CONFIG_FILE, sdkVersion } =
    await import("@nerve/daemon/sdk");
  const missing = ["@nerve/core", "@nerve/daemon"].filter(
    (name) => resolveSdkSpecifier(name) === null,
  );
  if (missing.length > 0) {
    return {
      name: "sdk",
      status: "fail",
      message: `this Nerve install lacks ${missing.join(", ")}`,
      fix: "reinstall Nerve (npm install -g nerve)",
    };
  }
  const file = join(root, EDITOR_CONFIG_FILE);
  const expected = `${JSON.stringify(editorConfig(root), null, 2)}\n`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : null;
  if (current !== expected) {
    return {
      name: "sdk",
      status: "warn",
      message: `the SDK ${sdkVersion()} resolves; ${EDITOR_CONFIG_FILE}, which points editors at it, is ${current === null ? "missing" : "out of date"}`,
      fix: "nerve validate (or any daemon start) rewrites it",
    };
  }
  return ok("sdk", `the SDK ${sdkVersion()} resolves, and editors are pointed at it`);
}
