import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to `input`, or null when none is close enough to be a likely typo.
 * camelCase, kebab-case and case differences count as exact matches (`gracePeriod` ->
 * `grace_period`).
 */
export function suggest(input: string, candidates: readonly string[]): string | null {
  const normalised = toSnakeCase(input);
  const exact = candidates.find((c) => toSnakeCase(c) === normalised);
  if (exact !== undefined) return exact;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = Math.min(
      distance(input.toLowerCase(), candidate),
      distance(normalised, toSnakeCase(candidate)),
    );
    // Short keys tolerate one typo, longer ones about one per three characters.
    if (d <= Math.max(1, Math.floor(candidate.length / 3)) && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `gracePeriod`, `Grace-Period` and `grace period` all become `grace_period`. */
export function toSnakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[-\s]+/g, "_")
    .toLowerCase();
}
