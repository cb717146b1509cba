import { END, START, type WorkflowDefinition } from "@nerve/core";
import { WorkflowDefinitionError } from "../errors/thread.error.js";

const EXPECTED =
  "expected `export default { roles: { name: (ctx) => … }, moderator: (ctx) => roleName | END }` " +
  "or the same object as `export const workflow`";

/**
 * The workflow definition a compiled module exports: `default`, else the named `workflow`,
 * else (a CommonJS file bundled as ESM) `default.workflow`; checked so that a mistake is
 * reported once, at init, with what was expected.
 *
 * @throws WorkflowDefinitionError naming the workflow, its file and what is wrong.
 */
export function findDefinition(
  workflow: string,
  source: string,
  exports: Record<string, unknown>,
): WorkflowDefinition {
  const candidate = pickExport(exports);
  const fail = (reason: string): never => {
    throw new WorkflowDefinitionError(workflow, source, `${reason}; ${EXPECTED}`);
  };
  if (candidate === undefined) return fail("it exports no workflow definition");
  if (typeof candidate !== "object" || candidate === null) {
    return fail(`its definition is ${candidate === null ? "null" : `a ${typeof candidate}`}`);
  }
  const { roles, moderator } = candidate as { roles?: unknown; moderator?: unknown };
  if (typeof moderator !== "function") {
    return fail(
      moderator === undefined
        ? "its definition has no moderator"
        : `its moderator is a ${typeof moderator}, not a function`,
    );
  }
  if (typeof roles !== "object" || roles === null || Array.isArray(roles)) {
    return fail(
      roles === undefined
        ? "its definition has no roles"
        : "its roles must be an object of functions keyed by role name",
    );
  }
  const names = Object.keys(roles);
  if (names.length === 0) return fail("its roles object is empty");
  for (const name of names) {
    const role = (roles as Record<string, unknown>)[name];
    if (typeof role !== "function") fail(`role ${name} is a ${typeof role}, not a function`);
    if (name === END || name === START) {
      fail(`a role cannot be called ${name}: the name is reserved by the SDK`);
    }
  }
  return candidate as WorkflowDefinition;
}

function pickExport(exports: Record<string, unknown>): unknown {
  const fallback = exports.default;
  if (isDefinitionLike(fallback)) return fallback;
  if (exports.workflow !== undefined) return exports.workflow;
  if (typeof fallback === "object" && fallback !== null) {
    const nested = (fallback as Record<string, unknown>).workflow;
    if (nested !== undefined) return nested;
  }
  return fallback;
}

function isDefinitionLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && ("roles" in value || "moderator" in value);
}
