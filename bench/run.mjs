#!/usr/bin/env node
// Runs every bench/*.bench.mjs (or those named on the command line), prints one table and writes
// bench/results.json. Each benchmark measures its own baseline in the same run.
//   npm run bench                 all benchmarks, full length
//   npm run bench -- --quick      shorter runs
//   npm run bench -- log-append   only the named benchmark files
import { readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { formatTable } from "./lib/table.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.filter((arg) => !arg.startsWith("--"));
const files = readdirSync(here)
  .filter((file) => file.endsWith(".bench.mjs"))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

const results = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}${quick ? " (quick)" : ""}\n`);
  const { default: bench } = await import(pathToFileURL(join(here, file)).href);
  try {
    results.push(...(await bench({ quick })));
  } catch (error) {
    process.stderr.write(
      `bench: ${file} failed: ${error instanceof Error ? error.stack : error}\n`,
    );
    process.exitCode = 1;
  }
}

writeFileSync(join(here, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${formatTable(results)}\n`);
