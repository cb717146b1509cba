import { mkdirSync, statSync, type Stats } from "node:fs";
import { join } from "node:path";
import { UnsafeWorkspaceError } from "./errors/unsafe-workspace.error.js";

/**
 * Refuses a workspace whose `data/` folder (the log, the sense databases, the blobs) others
 * could write to: writable by every user, or owned by another user. A missing folder is
 * created, mode 0755 whatever the umask, so that the next start does not refuse it. Group write
 * is allowed, as a user's private group (umask 002) gives it to every folder.
 *
 * @throws UnsafeWorkspaceError
 */
export function ensurePrivateData(root: string): void {
  const data = join(root, "data");
  let stats: Stats;
  try {
    stats = statSync(data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    mkdirSync(data, { recursive: true, mode: 0o755 });
    return;
  }
  if (!stats.isDirectory()) {
    throw new UnsafeWorkspaceError(data, "is not a folder", "move it away");
  }
  const mode = (stats.mode & 0o7777).toString(8).padStart(4, "0");
  if ((stats.mode & 0o002) !== 0) {
    throw new UnsafeWorkspaceError(
      data,
      `is writable by every user (mode ${mode})`,
      `run \`chmod o-w ${data}\``,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new UnsafeWorkspaceError(
      data,
      `belongs to user ${stats.uid}, not to the daemon's user ${uid}`,
      `start the daemon as its owner, or run \`chown ${uid} ${data}\``,
    );
  }
}
