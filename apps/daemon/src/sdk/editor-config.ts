import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SDK_PACKAGES, SDK_TYPE_PACKAGES, sdkPackageDir } from "./sdk-packages.js";

/**
 * The TypeScript settings that point an editor (and `tsc`) at the running Nerve's SDK, relative
 * to the workspace root. Inside `.nerve/` (git-ignored, never touched by npm), rewritten by
 * `nerve init`, `nerve validate` and every daemon start, so it follows the install in use; the
 * workspace's own `tsconfig.json` extends it.
 */
export const EDITOR_CONFIG_FILE = ".nerve/tsconfig.sdk.json";

type Exports = string | null | { [key: string]: Exports } | Exports[];

/**
 * `compilerOptions.paths` for every SDK package this install has: each export of the package
 * (`@nerve/core`, `@nerve/core/config`, `rxjs/operators`, `@nestjs/common/*`) mapped to the
 * absolute file of its declarations.
 */
export function sdkTypePaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const name of SDK_PACKAGES) {
    const dir = sdkPackageDir(name);
    if (dir === null) continue;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      exports?: Exports;
    };
    const exports = manifest.exports;
    if (exports === undefined || exports === null || typeof exports !== "object") {
      paths[name] = [dir];
      paths[`${name}/*`] = [`${dir}/*`];
      continue;
    }
    for (const [key, target] of Object.entries(exports)) {
      if (!key.startsWith(".") || key.endsWith("package.json")) continue;
      const types = typesOf(target);
      if (types === null) continue;
      paths[`${name}${key.slice(1)}`] = [join(dir, types)];
    }
  }
  return paths;
}

/** The declarations file of an export target: its `types` condition, else its .js with .d.ts. */
function typesOf(target: Exports): string | null {
  if (typeof target === "string") {
    return target.endsWith(".js") ? target.replace(/\.js$/, ".d.ts") : null;
  }
  if (target === null || Array.isArray(target)) return null;
  if (typeof target.types === "string") return target.types;
  for (const value of Object.values(target)) {
    const found = typesOf(value);
    if (found !== null) return found;
  }
  return null;
}

/** The content of {@link EDITOR_CONFIG_FILE} for `root`. */
export function editorConfig(root: string): object {
  const typeRoots = [join(root, "node_modules", "@types")];
  for (const name of SDK_TYPE_PACKAGES) {
    const dir = sdkPackageDir(name);
    if (dir !== null && !typeRoots.includes(dirname(dir))) typeRoots.push(dirname(dir));
  }
  return {
    $comment:
      "Written by nerve (init, validate, daemon start): where the SDK of the Nerve in use lives. Do not edit; tsconfig.json extends it.",
    compilerOptions: { paths: sdkTypePaths(), typeRoots },
  };
}

/**
 * Writes {@link EDITOR_CONFIG_FILE} unless it already says the same. Best effort: a workspace
 * that cannot be written to still runs (the daemon resolves the SDK without this file).
 *
 * @returns whether the file holds the current settings
 */
export function writeEditorConfig(root: string): boolean {
  const file = join(root, EDITOR_CONFIG_FILE);
  const text = `${JSON.stringify(editorConfig(root), null, 2)}\n`;
  try {
    if (readFileSync(file, "utf8") === text) return true;
  } catch {
    // Not written yet.
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, text);
    renameSync(`${file}.${process.pid}.tmp`, file);
    return true;
  } catch {
    return false;
  }
}
