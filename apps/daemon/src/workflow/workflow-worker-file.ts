import { fileURLToPath } from "node:url";

/**
 * The built workflow worker entry to fork. A forked worker runs plain node, so it is always the
 * compiled `dist/workflow/worker/workflow-worker.js`: beside this file when it runs from `dist`,
 * and found from `src` through the package's `dist` when the sources run under a test runner.
 */
export function workflowWorkerFile(from: string = import.meta.url): string {
  const url = from.endsWith(".ts")
    ? new URL("../../dist/workflow/worker/workflow-worker.js", from)
    : new URL("./worker/workflow-worker.js", from);
  return fileURLToPath(url);
}
