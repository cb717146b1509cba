#!/usr/bin/env node
// The daemon process: `node main.js --root DIR [--foreground]`. `nerve daemon start` spawns it
// detached; `nerve dev` runs the same engine inside the CLI process instead.
import { parseArgs } from "node:util";
import { startDaemon } from "./bootstrap.js";

const { values } = parseArgs({
  options: { root: { type: "string" }, foreground: { type: "boolean", default: false } },
  strict: true,
});

if (!values.root) {
  process.stderr.write("nerve daemon: --root DIR is required\n");
  process.exit(2);
}

try {
  const daemon = await startDaemon(
    { root: values.root, foreground: values.foreground },
    { handleSignals: true },
  );
  await daemon.stopped;
  process.exit(0);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`nerve daemon: ${message}\n`);
  if (process.env.NERVE_DEBUG === "1" && error instanceof Error)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}
