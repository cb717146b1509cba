// Runs ONE benchmark file in this process, forked by bench/run.mjs: a crash, a hang or a leaked
// handle in one benchmark cannot hurt the others, and each starts on a fresh heap. Run by hand,
// it prints the results as JSON.
//   node bench/lib/run-one.mjs <file.bench.mjs> [--quick]
// Reports over the IPC channel: {figures} as soon as the module is loaded (the names it
// declares, for the failure rows), then {results} or {error}; then exits.
import { pathToFileURL } from "node:url";

const [file, ...flags] = process.argv.slice(2);
const quick = flags.includes("--quick");

function report(message) {
  // Run by hand (no IPC channel): print what the harness would be told.
  if (process.send === undefined) {
    process.stdout.write(`${JSON.stringify(message, null, 2)}\n`);
    return Promise.resolve();
  }
  return new Promise((resolve) => process.send(message, resolve));
}

function describe(error) {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

let code = 0;
try {
  const module = await import(pathToFileURL(file).href);
  if (Array.isArray(module.figures)) await report({ figures: module.figures });
  if (typeof module.default !== "function") {
    throw new Error(`${file} has no default export function bench({ quick })`);
  }
  const results = await module.default({ quick });
  if (!Array.isArray(results)) throw new Error(`${file} returned ${typeof results}, not an array`);
  await report({ results });
} catch (error) {
  await report({ error: describe(error) });
  code = 1;
}
// Whatever a benchmark left open (timers, sockets), this process is done.
process.exit(code);
