import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { socketPathFor, type SocketPathOptions } from "@nerve/core";

/**
 * The workspace root as both ends of the socket see it: symlinks resolved, so that the daemon
 * and the CLI derive the same fallback path even when one of them reached the workspace through
 * a link (`/tmp` → `/private/tmp` on macOS). A root that does not exist is only resolved.
 */
export function canonicalRoot(root: string): string {
  try {
    return realpathSync.native(root);
  } catch {
    return resolve(root);
  }
}

/** Where the daemon of the workspace at `root` listens; the daemon and the CLI both use it. */
export function daemonSocketPath(root: string, options: SocketPathOptions = {}): string {
  return socketPathFor(canonicalRoot(root), options);
}
