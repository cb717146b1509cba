import { err, ok, type Result } from "../result.js";

/** A sense's request to start a workflow, parsed from `workflow: "name|maxRounds|prompt"`. */
export interface WorkflowDirective {
  /** The workflow to start: non-empty, no whitespace. */
  workflow: string;
  /** The run's moderator round cap: a positive integer. */
  maxRounds: number;
  /** Everything after the second `|`; may be empty and may contain `|`. */
  prompt: string;
}

const DIRECTIVE_FORM = 'expected "name|maxRounds|prompt"';
const DIGITS = /^[0-9]+$/;
const WHITESPACE = /\s/;

/**
 * Parses the value of a sense result's `workflow` key, explaining why when it is not a directive.
 *
 * Same rules as {@link parseSenseWorkflowDirective}; the error is a one-line reason meant for
 * `nerve sense run` and the daemon log, e.g. `maxRounds must be a positive integer, got "0"`.
 */
export function checkSenseWorkflowDirective(value: unknown): Result<WorkflowDirective, string> {
  if (typeof value !== "string") {
    return err(`${DIRECTIVE_FORM}, got ${value === null ? "null" : typeof value}`);
  }
  const first = value.indexOf("|");
  const second = first < 0 ? -1 : value.indexOf("|", first + 1);
  if (second < 0) {
    return err(`${DIRECTIVE_FORM}, got ${JSON.stringify(value)} (needs two "|")`);
  }
  const workflow = value.slice(0, first);
  if (workflow.length === 0) return err('the workflow name before the first "|" is empty');
  if (WHITESPACE.test(workflow)) {
    return err(`the workflow name must not contain whitespace, got ${JSON.stringify(workflow)}`);
  }
  const rounds = value.slice(first + 1, second);
  const maxRounds = DIGITS.test(rounds) ? Number(rounds) : NaN;
  if (!Number.isSafeInteger(maxRounds) || maxRounds < 1) {
    return err(`maxRounds must be a positive integer, got ${JSON.stringify(rounds)}`);
  }
  return ok({ workflow, maxRounds, prompt: value.slice(second + 1) });
}

/**
 * Parses the value of a sense result's `workflow` key as a workflow directive.
 *
 * Only a string `name|maxRounds|prompt` parses, and only its first two `|` delimit:
 * - `name` is non-empty and holds no whitespace (nothing is trimmed, so `" cleanup|5|x"` is
 *   malformed rather than silently starting `cleanup`);
 * - `maxRounds` is written in decimal digits only and is a positive safe integer. Leading zeros
 *   are accepted (`"007"` is 7): the digits still name one positive integer, and rejecting them
 *   would silently turn the launch the user asked for into a plain signal. Signs, spaces,
 *   decimals and exponents (`-1`, ` 5`, `1.5`, `1e3`) are malformed, as are `0` and the empty
 *   string;
 * - the prompt is the rest of the string, which may be empty and may contain `|`.
 *
 * The cap is not checked against nerve.yaml's `max_rounds` range here; the workflow manager
 * applies its own limits.
 *
 * @returns the directive, or `null` when the value is not a well-formed directive.
 */
export function parseSenseWorkflowDirective(value: unknown): WorkflowDirective | null {
  const parsed = checkSenseWorkflowDirective(value);
  return parsed.ok ? parsed.value : null;
}
