import { describe, expect, it } from "vitest";

import { parse, stringify } from "yaml";

import { yamlLines } from "./__fixtures__/workspace.js";
import { compileConfig } from "./compile-config.js";
import type { ConfigReport, WorkspaceFs } from "./config.types.js";

const VALID = yamlLines(
  "max_rounds: 12",
  "senses:",
  "  cpu-usage:",
  "    group: system",
  "    throttle: 10s",
  "    timeout: 1m30s",
  "    grace_period: 500ms",
  "  disk-pressure: &defaults",
  "reflexes:",
  "  - kind: sense",
  "    sense: cpu-usage",
  "    interval: 30s",
  "    on: [disk-pressure]",
  "  - { kind: sense, sense: disk-pressure, interval: 1h }",
  "workflows:",
  "  cleanup:",
  "    concurrency: 3",
  "    overflow: drop",
  "    max_queue: 0",
  "modules: [./modules/audit.module.ts]",
);

const TOKENS = [
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
  "*defaults",
  "!",
  "!!str ",
  "|",
  ">",
  "?",
  "~",
  "null",
  "0",
  "-1",
  "1.5",
  "10s",
  "5ms",
  "x",
  "A",
  "../",
  "senses",
  "reflexes",
  "workflows",
  "modules",
  "sense",
  "on",
  "kind",
  "workflow",
  "\\",
  "\u0000",
  "é",
  "---",
];

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(list: readonly T[], next: () => number): T {
  return list[Math.floor(next() * list.length)];
}

function mutate(text: string, next: () => number): string {
  const at = (length: number): number => Math.floor(next() * (length + 1));
  const lines = text.split("\n");
  switch (Math.floor(next() * 6)) {
    case 0: {
      const i = at(text.length);
      return text.slice(0, i) + pick(TOKENS, next) + text.slice(i);
    }
    case 1: {
      const i = at(text.length);
      return text.slice(0, i) + text.slice(i + 1 + Math.floor(next() * 12));
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
      lines[i] = " ".repeat(Math.floor(next() * 6)) + (lines[i] ?? "").trimStart();
      return lines.join("\n");
    }
    default:
      return text.slice(0, at(text.length));
  }
}

const VALUES: unknown[] = [
  null,
  "",
  "x",
  "../x",
  "A",
  "a/b",
  0,
  -1,
  1.5,
  10_001,
  true,
  [],
  ["cpu-usage"],
  [1, [2]],
  {},
  { a: 1 },
  "10s",
  "0ms",
  "1.5s",
  "30s1m",
  "sense",
  "workflow",
  "queue",
  "drop",
  "./m.ts",
  "/abs.ts",
  "a\\b.ts",
  "x.d.ts",
  "cpu-usage",
  "disk-pressure",
  "unknown",
  1e21,
  Number.NaN,
  "a|1|prompt",
];
const KEYS = [
  "gracePeriod",
  "workflow",
  "on",
  "interval",
  "x",
  "__proto__",
  "constructor",
  "toString",
  "9",
];

type Slot = [Record<string, unknown> | unknown[], string | number];

function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([value, i]);
      slots(item, out);
    });
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      out.push([record, key]);
      slots(record[key], out);
    }
  }
  return out;
}

/** Changes the tree rather than the text, so the result is valid YAML that reaches the checks. */
function mutateTree(tree: unknown, next: () => number): unknown {
  const choose = <T>(list: readonly T[]): T => pick(list, next);
  const all = slots(tree);
  if (all.length === 0) return choose(VALUES);
  const [container, key] = choose(all);
  const record = container as Record<string | number, unknown>;
  const choice = next();
  if (choice < 0.6) record[key] = structuredClone(choose(VALUES));
  else if (choice < 0.8 && !Array.isArray(container)) delete record[key];
  else if (typeof record[key] === "object" && record[key] !== null && !Array.isArray(record[key])) {
    // defineProperty, so "__proto__" becomes a key rather than a prototype.
    Object.defineProperty(record[key], choose(KEYS), {
      value: choose(VALUES),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return tree;
}

/** A workspace where every file exists, recording the paths asked for. */
function everythingExists(asked: string[]): WorkspaceFs {
  return { isFile: (path) => (asked.push(path), true) };
}

const SAFE_PATH =
  /^(?:senses\/[a-z][a-z0-9-]{0,62}\/compute\.(?:ts|js|mts)|workflows\/[a-z][a-z0-9-]{0,62}\/index\.(?:ts|js|mts)|(?!\.\.\/)(?!\/)[^\\]+\.(?:ts|mts|js))$/;

/** Whatever the input, only paths inside the workspace reach the file system. */
function expectSafe(path: string): void {
  expect(path).toMatch(SAFE_PATH);
  expect(path).not.toContain("\u0000");
}

function expectWellFormed(report: ConfigReport, text: string): void {
  expect(report.ok).toBe(report.errors.length === 0);
  expect(report.config === null).toBe(!report.ok);
  const lineCount = text.split("\n").length;
  for (const issue of [...report.errors, ...report.warnings]) {
    expect(typeof issue.path).toBe("string");
    expect(issue.message).not.toMatch(/^internal error/);
    expect(issue.message.length).toBeGreaterThan(0);
    if (issue.line !== null) {
      expect(issue.line).toBeGreaterThanOrEqual(1);
      expect(issue.line).toBeLessThanOrEqual(lineCount);
      expect(issue.col).toBeGreaterThanOrEqual(1);
    }
  }
}

describe(compileConfig.name, () => {
  describe("robustness", () => {
    it("starts from a config that compiles", () => {
      expect(compileConfig(VALID, everythingExists([])).errors).toEqual([]);
    });

    it("returns a well-formed report for 600 seeded mutations of a valid config", () => {
      const next = random(20_261_126);
      const outcomes = { ok: 0, failed: 0 };
      for (let round = 0; round < 600; round++) {
        let text = VALID;
        const mutations = 1 + Math.floor(next() * 4);
        for (let m = 0; m < mutations; m++) text = mutate(text, next);
        const asked: string[] = [];
        const report = compileConfig(text, everythingExists(asked));
        expectWellFormed(report, text);
        // Whatever the input, only paths inside the workspace reach the file system.
        for (const path of asked) expectSafe(path);
        outcomes[report.ok ? "ok" : "failed"]++;
      }
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes.failed).toBeGreaterThan(0);
    });

    it("returns a well-formed report for 600 seeded changes to the tree of a valid config", () => {
      const next = random(42);
      const outcomes = { ok: 0, failed: 0, syntax: 0 };
      for (let round = 0; round < 600; round++) {
        let tree: unknown = parse(VALID);
        const mutations = 1 + Math.floor(next() * 3);
        for (let m = 0; m < mutations; m++) tree = mutateTree(tree, next);
        const text = stringify(tree);
        const asked: string[] = [];
        const report = compileConfig(text, everythingExists(asked));
        expectWellFormed(report, text);
        for (const path of asked) expectSafe(path);
        outcomes[report.ok ? "ok" : "failed"]++;
        if (report.errors.some((e) => e.message.startsWith("YAML syntax error"))) outcomes.syntax++;
      }
      expect(outcomes.ok).toBeGreaterThan(0);
      expect(outcomes.failed).toBeGreaterThan(300);
      expect(outcomes.syntax).toBe(0);
    });

    it("returns a well-formed report for random strings", () => {
      const next = random(7);
      for (let round = 0; round < 200; round++) {
        let text = "";
        const length = Math.floor(next() * 60);
        for (let i = 0; i < length; i++) text += pick(TOKENS, next);
        expectWellFormed(compileConfig(text, everythingExists([])), text);
      }
    });
  });
});
