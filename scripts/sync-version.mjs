#!/usr/bin/env node
// The version of Nerve lives in one place: the root package.json. `npm version <v>` runs this
// (the "version" script) to copy it into the packages bundled in the tarball and into
// NERVE_VERSION, which `nerve --version` and the `health` request report. `--check` only says
// whether they agree (exit 1 if not).
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { URL, fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const PACKAGES = ["libs/core", "libs/store", "apps/daemon", "libs/testing", "apps/cli"];
const VERSION_FILE = "libs/core/src/version.ts";

const { version } = JSON.parse(readFileSync(here("package.json"), "utf8"));
const check = process.argv.includes("--check");
const stale = [];

for (const dir of PACKAGES) {
  const file = here(`${dir}/package.json`);
  const manifest = JSON.parse(readFileSync(file, "utf8"));
  let changed = manifest.version !== version;
  manifest.version = version;
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (name.startsWith("@nerve/") && manifest.dependencies[name] !== version) {
      manifest.dependencies[name] = version;
      changed = true;
    }
  }
  if (!changed) continue;
  stale.push(`${dir}/package.json`);
  if (!check) writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

const source = readFileSync(here(VERSION_FILE), "utf8");
const updated = source.replace(/NERVE_VERSION = "[^"]*"/, `NERVE_VERSION = "${version}"`);
if (updated !== source) {
  stale.push(VERSION_FILE);
  if (!check) writeFileSync(here(VERSION_FILE), updated);
}

if (check && stale.length > 0) {
  process.stderr.write(
    `not at version ${version} (package.json): ${stale.join(", ")}; run node scripts/sync-version.mjs\n`,
  );
  process.exit(1);
}
if (!check && stale.length > 0)
  process.stdout.write(`version ${version}: updated ${stale.join(", ")}\n`);
