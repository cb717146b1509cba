#!/usr/bin/env node
// Prints bench/results.json (and bench/peers-results.json when present) as Markdown tables, for
// docs/PERFORMANCE.md:  node bench/lib/results-markdown.mjs
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatMarkdown, formatPeersMarkdown } from "./table.mjs";

const file = (name) => fileURLToPath(new URL(`../${name}`, import.meta.url));

if (existsSync(file("results.json"))) {
  const results = JSON.parse(readFileSync(file("results.json"), "utf8"));
  process.stdout.write(`${formatMarkdown(results)}\n`);
}
if (existsSync(file("peers-results.json"))) {
  const peers = JSON.parse(readFileSync(file("peers-results.json"), "utf8"));
  process.stdout.write(`\n${formatPeersMarkdown(peers)}\n`);
}
