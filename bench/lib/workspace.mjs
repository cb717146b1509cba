// Temp workspaces for benchmarks: files written as given (compute files may import @nerve/core:
// the daemon finds the SDK in the Nerve that runs it), removed afterwards.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temp workspace holding `files` (path → content). Call `remove()` when done. */
export function makeWorkspace(prefix, files) {
  const root = mkdtempSync(join(tmpdir(), `nerve-bench-${prefix}-`));
  writeFiles(root, files);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A temp copy of `source` (a workspace folder) without its data, logs and build outputs. */
export function copyWorkspace(prefix, source) {
  const root = mkdtempSync(join(tmpdir(), `nerve-bench-${prefix}-`));
  const skip = /[/\\](data|logs|node_modules|\.nerve)$|nerve\.(pid|sock)$/;
  cpSync(source, root, { recursive: true, filter: (path) => !skip.test(path) });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export function writeFiles(root, files) {
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** nerve.yaml text for `senses` ({name: {group?, ...}}) and `reflexes` ([{sense, interval?, on?}]). */
export function nerveYaml({ senses, reflexes = [] }) {
  const lines = ["senses:"];
  for (const [name, options] of Object.entries(senses)) {
    lines.push(`  ${name}:`);
    const entries = Object.entries(options);
    if (entries.length === 0) lines.push("    group: default");
    for (const [key, value] of entries) lines.push(`    ${key}: ${value}`);
  }
  lines.push(reflexes.length === 0 ? "reflexes: []" : "reflexes:");
  for (const reflex of reflexes) {
    lines.push("  - kind: sense", `    sense: ${reflex.sense}`);
    if (reflex.interval) lines.push(`    interval: ${reflex.interval}`);
    if (reflex.on) lines.push(`    on: [${reflex.on.join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}
