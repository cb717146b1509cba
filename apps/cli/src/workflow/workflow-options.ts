import { UsageError } from "../common/cli-errors.js";

const DIGITS = /^\d+$/;

/**
 * A whole number from the command line, at least `min`. Strict: no signs, decimals, exponents,
 * hex or blanks, which `Number()` would quietly accept.
 *
 * @throws UsageError naming the flag, what was given and what is expected.
 */
export function parseWholeNumber(flag: string, value: string, min: number): number {
  const parsed = DIGITS.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    const expected = min === 0 ? "a whole number >= 0" : `a whole number >= ${min}`;
    throw new UsageError(`${flag}: expected ${expected}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/**
 * A JSON value from the command line.
 *
 * @throws UsageError naming the flag and the parser's complaint.
 */
export function parseJsonValue(flag: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${flag}: not valid JSON (${reason}); got ${JSON.stringify(value)}`);
  }
}
