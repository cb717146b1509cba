import type { CompiledConfig } from "@nerve/core";
import { isMap, isSeq, parseDocument } from "yaml";
import { UsageError } from "../common/cli-errors.js";

/**
 * The senses that run their current code in a replay: those named (`--sense`), by default
 * every sense with a reflex `on:` a sense that has signals in the span; and, either way, every
 * sense downstream of them (listening to one of them, transitively). The other senses are
 * roots: their recorded signals are re-fed as they were.
 *
 * @param spanSenses senses with recorded signals in the span
 * @throws UsageError for a sense not declared in nerve.yaml, or when no sense would run.
 */
export function sensesUnderTest(
  config: CompiledConfig,
  spanSenses: ReadonlySet<string>,
  asked: readonly string[] = [],
): string[] {
  const declared = config.senses.map((sense) => sense.name);
  for (const name of asked) {
    if (!declared.includes(name)) {
      throw new UsageError(
        `--sense: ${name} is not a sense of nerve.yaml (declared: ${declared.join(", ") || "none"})`,
      );
    }
  }
  const listensTo = (sense: string, heard: ReadonlySet<string>): boolean =>
    config.reflexes.some((r) => r.sense === sense && r.on.some((on) => heard.has(on)));
  const chosen = new Set(
    asked.length > 0 ? asked : declared.filter((sense) => listensTo(sense, spanSenses)),
  );
  for (let grew = true; grew;) {
    grew = false;
    for (const sense of declared) {
      if (!chosen.has(sense) && listensTo(sense, chosen)) {
        chosen.add(sense);
        grew = true;
      }
    }
  }
  if (chosen.size === 0) {
    throw new UsageError(
      `no sense listens to the signals of the span (${[...spanSenses].sort().join(", ")}); ` +
        "name the senses to replay with --sense",
    );
  }
  return [...chosen].sort();
}

/**
 * The copy's nerve.yaml: only the reflexes of the senses under test (the roots do not compute:
 * their signals are re-fed), and no `federation` or `dashboard` (a replay talks to no one).
 * Comments and the rest stay as written.
 */
export function replayConfigText(text: string, senses: readonly string[]): string {
  const doc = parseDocument(text);
  const reflexes = doc.get("reflexes");
  if (isSeq(reflexes)) {
    reflexes.items = reflexes.items.filter((item) => {
      const sense = isMap(item) ? item.get("sense") : undefined;
      return typeof sense === "string" && senses.includes(sense);
    });
  }
  doc.delete("federation");
  doc.delete("dashboard");
  return doc.toString();
}
