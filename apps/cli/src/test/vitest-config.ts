import { realpathSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/** Where `nerve test` writes the runner's config, inside the workspace's git-ignored `.nerve/`. */
export const VITEST_CONFIG_FILE = ".nerve/vitest.config.mjs";

/** The test files `nerve test` runs: `tests/**\/*.test.ts` of the workspace. */
export const TEST_GLOB = "tests/**/*.test.ts";

/** Packages a test imports from the running Nerve, whatever the workspace's node_modules holds. */
export const TEST_SDK_PACKAGES = ["@nerve/testing", "@nerve/core", "vitest"] as const;

export interface VitestConfigInput {
  root: string;
  /** Package name → the file the running Nerve loads for it. */
  aliases: Record<string, string>;
  /** Folders of the running Nerve's packages, loaded by Node as they are (never transformed). */
  external: string[];
}

/**
 * The Vitest config of a workspace: its tests, with the kit, the SDK and Vitest itself taken
 * from the running Nerve (a workspace from `nerve init` has no node_modules), one engine per
 * test file in its own process (`forks`), and timeouts that fit an engine's start.
 */
export function vitestConfigSource(input: VitestConfigInput): string {
  const alias = Object.entries(input.aliases).map(([name, file]) => ({
    find: new RegExp(`^${escape(name)}$`),
    replacement: file,
  }));
  const external = input.external.map((dir) => new RegExp(`^${escape(dir)}[\\\\/]`));
  const lines = [
    "// Written by `nerve test` on every run. Do not edit.",
    "export default {",
    `  root: ${JSON.stringify(input.root)},`,
    `  resolve: { alias: [${alias.map((a) => `{ find: ${String(a.find)}, replacement: ${JSON.stringify(a.replacement)} }`).join(", ")}] },`,
    "  test: {",
    `    include: [${JSON.stringify(TEST_GLOB)}],`,
    '    exclude: ["**/node_modules/**", "data/**", ".nerve/**"],',
    '    pool: "forks",',
    "    testTimeout: 60000,",
    "    hookTimeout: 60000,",
    `    server: { deps: { external: [${external.map(String).join(", ")}] } },`,
    "  },",
    "};",
    "",
  ];
  return lines.join("\n");
}

/** Writes the config into the workspace; returns its absolute path. */
export function writeVitestConfig(input: VitestConfigInput): string {
  const file = join(input.root, VITEST_CONFIG_FILE);
  mkdirSync(join(input.root, ".nerve"), { recursive: true });
  writeFileSync(file, vitestConfigSource(input));
  return file;
}

/** A folder with symlinks resolved, as Node reports the files it loads from it. */
export function canonicalDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
