/** A small seeded generator (mulberry32): a failing case is replayed from its seed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(list: readonly T[], next: () => number): T {
  return list[Math.floor(next() * list.length)];
}

export function integer(next: () => number, max: number): number {
  return Math.floor(next() * (max + 1));
}

/** Pieces of YAML and of nerve.yaml that mutations splice in. */
const YAML_TOKENS = [
  ":",
  "-",
  " ",
  "  ",
  "\n",
  "\t",
  "[",
  "]",
  "{",
  "}",
  ",",
  '"',
  "'",
  "#",
  "&a",
  "*a",
  "!",
  "!!str ",
  "!!binary ",
  "|",
  ">",
  "?",
  "~",
  "null",
  "0",
  "-1",
  "1e999",
  "0x10",
  "1.5",
  "10s",
  "5ms",
  "1m30s",
  "99999999999999999999d",
  "-5s",
  "x",
  "A",
  "../",
  "/etc/passwd",
  "senses",
  "reflexes",
  "workflows",
  "modules",
  "sense",
  "on",
  "kind",
  "interval",
  "group",
  "throttle",
  "timeout",
  "grace_period",
  "gracePeriod",
  "max_rounds",
  "concurrency",
  "overflow",
  "max_queue",
  "workflow",
  "\\",
  "\u0000",
  "\u202e",
  "é",
  "---",
  "...",
  "<<: *a",
  "%YAML 1.2\n",
];

/**
 * One random edit of `text`: a token inserted, a span deleted, a line duplicated, two lines
 * swapped, a line re-indented, or a span replaced by a token.
 */
export function mutateYaml(text: string, next: () => number): string {
  const at = (length: number): number => integer(next, length);
  const lines = text.split("\n");
  switch (integer(next, 5)) {
    case 0: {
      const i = at(text.length);
      return text.slice(0, i) + pick(YAML_TOKENS, next) + text.slice(i);
    }
    case 1: {
      const i = at(text.length);
      return text.slice(0, i) + text.slice(i + 1 + integer(next, 12));
    }
    case 2: {
      const i = at(lines.length - 1);
      lines.splice(i, 0, lines[i] ?? "");
      return lines.join("\n");
    }
    case 3: {
      const [i, j] = [at(lines.length - 1), at(lines.length - 1)];
      [lines[i], lines[j]] = [lines[j] ?? "", lines[i] ?? ""];
      return lines.join("\n");
    }
    case 4: {
      const i = at(lines.length - 1);
      lines[i] = " ".repeat(integer(next, 6)) + (lines[i] ?? "").trimStart();
      return lines.join("\n");
    }
    default: {
      const i = at(text.length);
      return text.slice(0, i) + pick(YAML_TOKENS, next) + text.slice(i + 1 + integer(next, 6));
    }
  }
}

/** `count` mutants of `text`, each one to three edits deep, from `seed`. */
export function yamlMutants(text: string, count: number, seed: number): string[] {
  const next = seeded(seed);
  const mutants: string[] = [];
  for (let i = 0; i < count; i += 1) {
    let mutant = text;
    for (let edits = 1 + integer(next, 2); edits > 0; edits -= 1) mutant = mutateYaml(mutant, next);
    mutants.push(mutant);
  }
  return mutants;
}

/** A line of a Node stack trace (`    at fn (file.js:1:2)`): what users must never see. */
export const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;
