import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Packages a workspace's code imports: the SDK for senses and workflows, Nest for modules, and the
 * type packages the SDK's declarations refer to. Linking them into the workspace's node_modules
 * makes user code resolve and type-check offline, against the very Nerve that runs it.
 */
export const SDK_PACKAGES = [
  "@nerve/core",
  "@nerve/daemon",
  "@nestjs/common",
  "@nestjs/core",
  "reflect-metadata",
  "rxjs",
  "@types/node",
  "@types/better-sqlite3",
] as const;

const require = createRequire(import.meta.url);

/**
 * Directory of an installed package, looked up the way Node looks up packages (not every package
 * exports its package.json, and type-only packages have no entry point to resolve).
 */
export function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    if (existsSync(join(dir, name, "package.json"))) return join(dir, name);
  }
  throw new Error(`cannot find the installed package ${name}; reinstall Nerve`);
}

export interface LinkResult {
  name: string;
  target: string;
  status: "linked" | "kept";
}

/**
 * Links each SDK package into `<root>/node_modules`. An existing link is replaced when it points
 * elsewhere; a real folder (a package the user installed) is kept.
 */
export function linkSdk(root: string): LinkResult[] {
  return SDK_PACKAGES.map((name) => {
    const target = packageDir(name);
    const link = join(root, "node_modules", name);
    const existing = lstatOrNull(link);
    if (existing && !existing.isSymbolicLink()) return { name, target, status: "kept" };
    if (existing && readlinkSync(link) === target) return { name, target, status: "linked" };
    if (existing) rmSync(link);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, "dir");
    return { name, target, status: "linked" };
  });
}

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
