import { posix } from "node:path";
import { isScalar, isSeq } from "yaml";

import type { WorkspaceFs } from "./config.types.js";
import { err, ok, type Result } from "../result.js";
import { describeValue } from "./describe-value.js";
import { childPath, nodeKind, type Entry, type YamlContext } from "./yaml-context.js";

const MODULE_EXTENSIONS = /\.(?:ts|mts|js)$/;
const WHAT =
  "a path to a .ts, .mts or .js file relative to the workspace root, such as modules/audit.module.ts";

/**
 * The `modules` list as normalised workspace-relative paths. The list's own type is checked by
 * the top-level DTO; this checks each path and that its file exists.
 */
export function compileModules(
  ctx: YamlContext,
  entry: Entry | undefined,
  fs: WorkspaceFs,
): string[] {
  const modules: string[] = [];
  if (entry === undefined || !isSeq(entry.node)) return modules;
  entry.node.items.forEach((raw, i) => {
    const path = childPath("modules", i);
    const item = ctx.locate(raw, path);
    if (!isScalar(item.node) || typeof item.node.value !== "string") {
      ctx.error(path, item.at, `expected ${WHAT}, got ${nodeKind(item.node)}`);
      return;
    }
    const normalised = normaliseModulePath(item.node.value);
    if (!normalised.ok) {
      ctx.error(path, item.at, normalised.error);
    } else if (modules.includes(normalised.value)) {
      ctx.warn(
        path,
        item.at,
        `module ${normalised.value} is listed more than once; it is loaded once`,
      );
    } else if (!fs.isFile(normalised.value)) {
      ctx.error(
        path,
        item.at,
        `module file not found: expected a file at ${normalised.value} (relative to the workspace root)`,
      );
    } else {
      modules.push(normalised.value);
    }
  });
  return modules;
}

/**
 * `./modules/a.module.ts` -> `modules/a.module.ts`. Rejects paths that are absolute, escape the
 * workspace, use backslashes or control characters, or do not name a .ts, .mts or .js file.
 */
export function normaliseModulePath(raw: string): Result<string, string> {
  const got = describeValue(raw);
  // Control characters (NUL above all) make file system calls throw rather than answer.
  // eslint-disable-next-line no-control-regex
  if (raw.trim() === "" || /[\u0000-\u001f]/.test(raw)) return err(`expected ${WHAT}, got ${got}`);
  if (raw.includes("\\")) return err(`expected a path with "/" separators, got ${got}`);
  if (raw.startsWith("/") || /^[A-Za-z]:/.test(raw)) {
    return err(`expected a path relative to the workspace root, got the absolute path ${got}`);
  }
  const normalised = posix.normalize(raw).replace(/^(?:\.\/)+/, "");
  if (normalised === ".." || normalised.startsWith("../")) {
    return err(`expected a path inside the workspace, got ${got}, which leads outside it`);
  }
  if (/\.d\.m?ts$/.test(normalised) || !MODULE_EXTENSIONS.test(normalised)) {
    return err(`expected a path to a .ts, .mts or .js file, got ${got}`);
  }
  return ok(normalised);
}
