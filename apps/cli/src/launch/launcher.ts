import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCommonJsFile } from "./code-cache.js";

/** The CLI as one CommonJS file, written by apps/cli/scripts/bundle.mjs after `tsc -b`. */
export const BUNDLE_FILE = fileURLToPath(new URL("../bundle/nerve.cjs", import.meta.url));

/**
 * Written by every `tsc -b` that compiles the CLI or a package bundled into it: any of them newer
 * than the bundle makes it stale. (An installed CLI has none of them.)
 */
const BUILD_INFOS = [
  "../.tsbuildinfo",
  "../../../daemon/dist/.tsbuildinfo",
  "../../../../libs/store/dist/.tsbuildinfo",
  "../../../../libs/core/dist/.tsbuildinfo",
].map((path) => fileURLToPath(new URL(path, import.meta.url)));

/**
 * Starts the CLI. From the bundle when there is one at least as new as the last compile — one
 * file, its V8 code cached across runs, so a command starts in a fraction of the time the
 * hundreds of modules of Nest and the libraries take to load — else from the compiled modules.
 * `NERVE_CLI_BUNDLE=0` forces the modules.
 */
export async function launch(): Promise<void> {
  const useBundle =
    process.env.NERVE_CLI_BUNDLE !== "0" &&
    bundleIsFresh(mtime(BUNDLE_FILE), lastCompile(BUILD_INFOS));
  if (useBundle) {
    const bundle = runCommonJsFile(BUNDLE_FILE) as { runCli(): Promise<never> };
    await bundle.runCli();
    return;
  }
  const { runCli } = await import("../cli.js");
  await runCli();
}

/**
 * Whether the bundle holds the latest compile: it exists and was written after the last `tsc -b`
 * that emitted (`npm run build` runs the bundler right after). A developer who compiles alone,
 * or watches, gets the modules and so their latest change.
 */
export function bundleIsFresh(bundleMtime: number | null, buildInfoMtime: number | null): boolean {
  if (bundleMtime === null) return false;
  return buildInfoMtime === null || bundleMtime >= buildInfoMtime;
}

function lastCompile(files: readonly string[]): number | null {
  const times = files.map(mtime).filter((time): time is number => time !== null);
  return times.length === 0 ? null : Math.max(...times);
}

function mtime(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}
