import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { join } from "node:path";

/**
 * Packages user code (senses, workflows, modules) always gets from the running Nerve, whatever
 * the workspace's node_modules holds: the SDK, and what it hands to user code (Nest's decorators
 * and injector, the metadata polyfill, rxjs), which must be the very copies the engine uses for
 * injection by type to work, and the SQLite driver. Every other package comes from the
 * workspace's node_modules.
 */
export const SDK_PACKAGES = [
  "@nerve/core",
  "@nerve/daemon",
  "@nerve/store",
  "@nerve/testing",
  "@nestjs/common",
  "@nestjs/core",
  "reflect-metadata",
  "rxjs",
  // The driver behind `ctx.db`: native, built once for the Nerve that runs it.
  "better-sqlite3",
  // The runner of `nerve test`: a workspace's tests import it next to @nerve/testing.
  "vitest",
] as const;

/** Type packages the SDK's declarations refer to: editors find them in the install too. */
export const SDK_TYPE_PACKAGES = ["@types/node", "@types/better-sqlite3"] as const;

const SDK = new Set<string>(SDK_PACKAGES);

const requireHere = createRequire(import.meta.url);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`; null for relative or absolute paths. */
export function packageNameOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.length === 0) return null;
  const parts = specifier.split("/");
  if (specifier.startsWith("@")) return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : null;
  return parts[0];
}

/** A Node built-in (`fs`, `node:fs`): left as it is, never looked up. */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || isBuiltin(specifier);
}

/** Whether `specifier` names an SDK package (or a file inside one). */
export function isSdkSpecifier(specifier: string): boolean {
  const name = packageNameOf(specifier);
  return name !== null && SDK.has(name);
}

/**
 * The file this very process loads for an SDK specifier, with its own resolution conditions, or
 * null: for user code the daemon imports into its own process (Nest modules), which must share
 * the engine's module instances (a test runner that runs the engine from its sources included).
 */
export function resolveSdkInProcess(specifier: string): string | null {
  try {
    return requireHere.resolve(specifier);
  } catch {
    return null;
  }
}

/** The conditions Node's ES module loader matches in a worker (no test runner's extra ones). */
const CONDITIONS = new Set(["node", "import", "default"]);

type Exports = string | null | { [key: string]: Exports } | Exports[];

/**
 * The file the running Nerve's workers load for an SDK specifier (e.g. `@nerve/core` →
 * `…/node_modules/@nerve/core/dist/index.js`, symlinks resolved), or null when this install does
 * not have it. Resolved from the package's `exports` with Node's default conditions, not this
 * process's (a test runner may add its own), because the workers that import it run without
 * any.
 */
export function resolveSdkSpecifier(specifier: string): string | null {
  const name = packageNameOf(specifier);
  const dir = name === null ? null : sdkPackageDir(name);
  if (name === null || dir === null) return null;
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    exports?: Exports;
  };
  const subpath = `.${specifier.slice(name.length)}`;
  let file: string | null;
  if (manifest.exports === undefined) {
    try {
      file = createRequire(join(dir, "package.json")).resolve(specifier);
    } catch {
      return null;
    }
  } else {
    const target = exportTarget(manifest.exports, subpath);
    file = target === null ? null : join(dir, target);
  }
  try {
    return file === null ? null : realpathSync(file);
  } catch {
    return null;
  }
}

/** The target of `subpath` in an `exports` field (exact keys, then one-`*` patterns), or null. */
function exportTarget(exports: Exports, subpath: string): string | null {
  const map =
    typeof exports === "string" ||
    Array.isArray(exports) ||
    exports === null ||
    !Object.keys(exports).some((key) => key.startsWith("."))
      ? { ".": exports }
      : exports;
  if (Object.hasOwn(map, subpath)) return conditionTarget(map[subpath], "");
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    if (
      subpath.startsWith(prefix) &&
      subpath.endsWith(suffix) &&
      subpath.length >= key.length - 1
    ) {
      return conditionTarget(value, subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return null;
}

function conditionTarget(value: Exports, star: string): string | null {
  if (typeof value === "string") return value.replaceAll("*", star);
  if (value === null) return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = conditionTarget(item, star);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [condition, target] of Object.entries(value)) {
    if (!CONDITIONS.has(condition)) continue;
    const found = conditionTarget(target, star);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Directory of a package as the running Nerve finds it, looked up the way Node looks packages up
 * (not every package exports its package.json, and type-only packages have no entry point), or
 * null when it is not installed.
 */
export function sdkPackageDir(name: string): string | null {
  for (const dir of requireHere.resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, "package.json"))) return join(dir, name);
  }
  return null;
}

/** The version of the running Nerve's `@nerve/daemon`. */
export function sdkVersion(): string {
  const dir = sdkPackageDir("@nerve/daemon");
  if (dir === null) return "unknown";
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string })
    .version;
}

/**
 * Names the SDK in use (where it is installed, and its version) for build caches: an output
 * that imports the SDK by absolute path is rebuilt when Nerve moves or is upgraded.
 */
export function sdkStamp(): string {
  return `sdk ${sdkPackageDir("@nerve/core") ?? "none"} ${sdkVersion()}`;
}
