import { checkSenseWorkflowDirective, type WorkflowDirective } from "./directive.js";

/** Why a result's own `workflow` key was not taken as a directive (see {@link SenseRoute}). */
export interface IgnoredDirective {
  /** The `workflow` value as returned. */
  value: unknown;
  /** One line saying what is wrong with it. */
  reason: string;
}

/**
 * Where a sense's compute result goes (SPEC §4, "Return value routing").
 *
 * - `none`: the result was `null` or `undefined`; nothing is emitted.
 * - `signal`: a signal carrying `payload` is emitted. `ignoredDirective` is set when the result
 *   had an own `workflow` key that looked like an attempt at a directive (a non-empty string or
 *   any non-string other than `null`/`undefined`) but was not a well-formed one, so the daemon
 *   can warn and `nerve sense run` can say why no workflow started.
 * - `workflow`: the directive's workflow is started with `payload` as the run's payload, and no
 *   signal is emitted.
 */
export type SenseRoute =
  | { kind: "none" }
  | { kind: "signal"; payload: unknown; ignoredDirective?: IgnoredDirective }
  | { kind: "workflow"; directive: WorkflowDirective; payload: Record<string, unknown> };

/** True for `{}` literals and `Object.create(null)`; false for arrays, class instances, Date, Map. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A shallow copy without `workflow`; the sense's own object is never touched. */
function withoutWorkflow(source: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...source };
  delete copy.workflow;
  return copy;
}

/**
 * Decides where a sense's compute result goes. Used by the daemon and by `nerve sense run`.
 *
 * 1. `null` / `undefined` → `none`.
 * 2. A plain object (prototype `Object.prototype` or `null`) with an OWN `workflow` key: a
 *    well-formed directive (see {@link parseSenseWorkflowDirective}) → `workflow`, with the
 *    object minus `workflow` as payload; any other value (`null`, `""`, a non-string, a
 *    malformed string) → `signal`, again with the object minus `workflow` as payload.
 * 3. Anything else — primitives, arrays, class instances, objects whose `workflow` is inherited
 *    or absent → `signal` with the value itself as payload.
 *
 * The input is never mutated; the payload of rule 2 is a shallow copy (own enumerable keys).
 */
export function routeSenseComputeOutput(output: unknown): SenseRoute {
  if (output === null || output === undefined) return { kind: "none" };
  if (!isPlainObject(output) || !Object.hasOwn(output, "workflow")) {
    return { kind: "signal", payload: output };
  }
  const value = output.workflow;
  const payload = withoutWorkflow(output);
  const directive = checkSenseWorkflowDirective(value);
  if (directive.ok) return { kind: "workflow", directive: directive.value, payload };
  // null, undefined and "" are the documented ways of saying "no workflow this time".
  if (value === null || value === undefined || value === "") return { kind: "signal", payload };
  return { kind: "signal", payload, ignoredDirective: { value, reason: directive.error } };
}

const PROMPT_PREVIEW_CHARS = 60;

/**
 * One human line for a route, as `nerve sense run` prints it, e.g. `signal`,
 * `workflow cleanup (maxRounds 10, prompt "x")` or `nothing (null or undefined result)`.
 * Long prompts are cut to their first 60 characters.
 */
export function describeRoute(route: SenseRoute): string {
  switch (route.kind) {
    case "none":
      return "nothing (null or undefined result)";
    case "signal":
      return route.ignoredDirective === undefined
        ? "signal"
        : `signal (workflow key ignored: ${route.ignoredDirective.reason})`;
    case "workflow": {
      const { workflow, maxRounds, prompt } = route.directive;
      const chars = [...prompt];
      const preview =
        chars.length > PROMPT_PREVIEW_CHARS
          ? `${JSON.stringify(chars.slice(0, PROMPT_PREVIEW_CHARS).join(""))}… (${chars.length} characters)`
          : JSON.stringify(prompt);
      return `workflow ${workflow} (maxRounds ${maxRounds}, prompt ${preview})`;
    }
  }
}
