import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { CliError } from "./cli-errors.js";

export const CONFIG_FILE = "nerve.yaml";

export interface FindWorkspaceOptions {
  /** `--root DIR` from the command line. */
  root?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to process.cwd(). */
  cwd?: string;
}

/**
 * Finds the workspace root: `--root DIR`, else `NERVE_ROOT`, else the nearest ancestor of the
 * current directory that holds a `nerve.yaml`. The path is canonical (symlinks resolved), so the
 * CLI and the daemon derive the same socket path from it.
 */
export function findWorkspace(options: FindWorkspaceOptions = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.root ?? (env.NERVE_ROOT || undefined);
  if (explicit !== undefined) {
    const root = resolve(cwd, explicit);
    const via = options.root !== undefined ? "--root" : "NERVE_ROOT";
    if (!isDirectory(root)) throw new CliError(`${via} ${root} is not a directory`);
    if (!existsSync(join(root, CONFIG_FILE))) {
      throw new CliError(
        `${via} ${root} has no ${CONFIG_FILE}; create a workspace with \`nerve init ${root}\``,
      );
    }
    return realpathSync(root);
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_FILE))) return realpathSync(dir);
    if (dirname(dir) === dir) break;
  }
  throw new CliError(
    `no ${CONFIG_FILE} in ${cwd} or any parent; pass --root DIR, set NERVE_ROOT, or create one with \`nerve init\``,
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
