import { fileURLToPath } from "node:url";

/**
 * The built worker entry to fork. A forked worker runs plain node, so it is always the compiled
 * `dist/sense/worker/sense-worker.js`: beside this file when it runs from `dist`, and found
 * from `src` through the package's `dist` when the sources run under a test runner.
 */
export function senseWorkerFile(from: string = import.meta.url): string {
  const url = from.endsWith(".ts")
    ? new URL("../../dist/sense/worker/sense-worker.js", from)
    : new URL("./worker/sense-worker.js", from);
  return fileURLToPath(url);
}
