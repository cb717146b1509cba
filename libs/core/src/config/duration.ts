import { err, ok, type Result } from "../result.js";
import { InvalidDurationError } from "./errors/invalid-duration.error.js";

/** Units from largest to smallest; compounds must use them in this order, each at most once. */
const UNITS = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
  ["ms", 1],
] as const;

// `m(?!s)` keeps "5ms" from being read as five minutes followed by a stray "s".
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;
const ANY_UNIT_ORDER = /^(?:\d+(?:ms|s|m|h|d))+$/;
const EXAMPLE = "a duration such as 10s or 1m30s";
const MAX_SHOWN = 40;

/**
 * Parses a duration such as `500ms`, `10s`, `5m`, `1h`, `1d` or a compound in descending unit
 * order (`1m30s`, `1h5m`, `2s500ms`) into milliseconds. The error is a sentence saying what was
 * expected and what was found.
 */
export function parseDuration(text: string): Result<number, string> {
  const match = text === "" ? null : DURATION.exec(text);
  if (match === null) return err(durationError(text));
  let total = 0;
  UNITS.forEach(([, factor], i) => {
    total += Number(match[i + 1] ?? 0) * factor;
  });
  if (!Number.isSafeInteger(total)) {
    return err(`expected ${EXAMPLE}, got ${quote(text)} (too large)`);
  }
  return ok(total);
}

/**
 * Writes milliseconds as the shortest duration `parseDuration` reads back: 90000 -> "1m30s",
 * 0 -> "0ms". Fractions of a millisecond are rounded.
 * @throws InvalidDurationError for negative, NaN or infinite input.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidDurationError(ms);
  let rest = Math.round(ms);
  if (rest === 0) return "0ms";
  let out = "";
  for (const [unit, factor] of UNITS) {
    const count = Math.floor(rest / factor);
    if (count > 0) {
      out += `${String(count)}${unit}`;
      rest -= count * factor;
    }
  }
  return out;
}

/**
 * The message for a value that is not a duration, for callers that hold a non-string (a YAML
 * number such as `30` gets "a duration such as 30s").
 */
export function durationErrorFor(value: unknown, shown: string): string {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) {
    return `expected a duration such as ${String(value)}s, got ${shown} (a number needs a unit: ms, s, m, h or d)`;
  }
  return `expected ${EXAMPLE}, got ${shown}`;
}

function durationError(text: string): string {
  const got = quote(text);
  if (/^\d+$/.test(text)) {
    return `expected a duration such as ${text}s, got ${got} (a number needs a unit: ms, s, m, h or d)`;
  }
  return `expected ${EXAMPLE}, got ${got}${hint(text)}`;
}

function hint(text: string): string {
  if (text === "") return "";
  if (/\s/.test(text)) return " (no spaces inside a duration)";
  if (text.startsWith("-")) return " (a duration cannot be negative)";
  if (/\d[.,]\d/.test(text)) return " (whole numbers only: write 1s500ms, not 1.5s)";
  if (ANY_UNIT_ORDER.test(text))
    return " (units go from largest to smallest, each at most once: d, h, m, s, ms)";
  return " (units: ms, s, m, h, d)";
}

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);
}
