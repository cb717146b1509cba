const SHOWN = 10;

/** "declared: a, b, c" (at most ten names), or "none is declared", for unknown-name errors. */
export function declaredNames(names: readonly string[]): string {
  if (names.length === 0) return "none is declared";
  const shown = names.slice(0, SHOWN).join(", ");
  return `declared: ${shown}${names.length > SHOWN ? `, and ${names.length - SHOWN} more` : ""}`;
}
