import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Socket file name inside the workspace. */
export const SOCKET_FILE_NAME = "nerve.sock";

/**
 * Longest socket path used as is, in bytes. `sun_path` holds 108 bytes on Linux and 104 on
 * macOS, terminator included; 100 leaves a margin on both.
 */
export const MAX_SOCKET_PATH_BYTES = 100;

/** Where the socket goes when `<root>/nerve.sock` is too long. */
export interface SocketPathOptions {
  /** Base directory for the fallback; default `os.tmpdir()`. */
  tmpdir?: string;
  /** User id naming the per-user fallback directory; default `process.getuid()`, else 0. */
  uid?: number;
}

/**
 * The daemon's socket path for a workspace; the daemon and the CLI both derive it from the
 * root, so they agree without talking.
 *
 * `<root>/nerve.sock` when that absolute path is at most {@link MAX_SOCKET_PATH_BYTES} UTF-8
 * bytes; otherwise `<tmpdir>/nerve-<uid>/<first 16 hex of sha256(root)>.sock`, in a per-user
 * directory that the daemon creates with mode 0700. `root` is resolved against the current
 * directory but symlinks are not followed (this function touches no file system), so callers
 * should pass the same canonical root, e.g. from `fs.realpathSync`. The fallback itself may
 * still be too long when `tmpdir` is very long; the daemon checks the length when it binds.
 */
export function socketPathFor(root: string, opts: SocketPathOptions = {}): string {
  const absoluteRoot = resolve(root);
  const inWorkspace = join(absoluteRoot, SOCKET_FILE_NAME);
  if (Buffer.byteLength(inWorkspace, "utf8") <= MAX_SOCKET_PATH_BYTES) return inWorkspace;
  const uid = opts.uid ?? process.getuid?.() ?? 0;
  const digest = createHash("sha256").update(absoluteRoot, "utf8").digest("hex").slice(0, 16);
  return join(opts.tmpdir ?? tmpdir(), `nerve-${uid}`, `${digest}.sock`);
}
