import { describe, expect, it } from "vitest";

import { workspaceFor, workspaceWith, yamlLines } from "./__fixtures__/workspace.js";
import { compileConfig } from "./compile-config.js";
import { TOP_LEVEL_KEYS } from "./dto/top-level.dto.js";
import type { ConfigIssue, WorkspaceFs } from "./config.types.js";

/** The errors of a config whose senses `cpu` and `disk` and workflow `w` all have files. */
function errorsOf(...lines: string[]): ConfigIssue[] {
  return compileConfig(yamlLines(...lines), workspaceFor(["cpu", "disk"], ["w"])).errors;
}

describe(compileConfig.name, () => {
  describe("types", () => {
    it.each([
      ["a list", "- a", "got a list"],
      ["a string", "hello", 'got "hello"'],
      ["a number", "42", "got 42"],
    ])("rejects %s at the top level", (_, text, got) => {
      expect(compileConfig(text, workspaceWith()).errors).toEqual([
        {
          path: "",
          line: 1,
          col: 1,
          message: `expected a mapping with the keys ${TOP_LEVEL_KEYS.join(", ")} at the top level, ${got}`,
        },
      ]);
    });

    it("rejects sections of the wrong shape, each at its value", () => {
      expect(
        errorsOf("senses: [cpu]", "reflexes: { kind: sense }", "workflows: 3", "modules: x.ts"),
      ).toEqual([
        {
          path: "senses",
          line: 1,
          col: 9,
          message: "expected a mapping of sense names to settings, got a list",
        },
        {
          path: "reflexes",
          line: 2,
          col: 11,
          message:
            'expected a list of reflexes (each reflex is a list item starting with "- kind: sense"), got a mapping',
        },
        {
          path: "workflows",
          line: 3,
          col: 12,
          message: "expected a mapping of workflow names to settings, got 3",
        },
        {
          path: "modules",
          line: 4,
          col: 10,
          message: 'expected a list of module paths such as [modules/audit.module.ts], got "x.ts"',
        },
      ]);
    });

    it("rejects a sense, workflow or reflex that is not a mapping", () => {
      const errors = errorsOf(
        "senses:",
        "  cpu: fast",
        "workflows:",
        "  w: [1]",
        "reflexes:",
        "  - cpu",
        "  -",
      );
      expect(
        errors.map((e) => [e.path, e.line, e.col, e.message.replace(/\(.*\)|:.*?,/, "…")]),
      ).toEqual([
        [
          "senses.cpu",
          2,
          8,
          'expected a mapping of sense settings … or nothing for the defaults, got "fast"',
        ],
        [
          "workflows.w",
          4,
          6,
          "expected a mapping of workflow settings … or nothing for the defaults, got a list",
        ],
        ["reflexes[0]", 6, 5, 'expected a reflex… "sense" and "interval" and/or "on", got "cpu"'],
        ["reflexes[1]", 7, 4, 'expected a reflex… "sense" and "interval" and/or "on", got nothing'],
      ]);
    });

    it("rejects a key that is a list or mapping", () => {
      expect(errorsOf("senses:", "  ? [a, b]", "  : {}")).toEqual([
        { path: "senses", line: 2, col: 5, message: "expected a name as key, got a list" },
      ]);
    });
  });

  describe("values", () => {
    it.each([
      ["0", "got 0"],
      ["10001", "got 10001"],
      ["1.5", "got 1.5"],
      ['"100"', 'got "100"'],
      [".inf", "got .inf"],
      ["[1]", "got a list"],
    ])("rejects max_rounds: %s", (value, got) => {
      expect(errorsOf(`max_rounds: ${value}`)).toEqual([
        {
          path: "max_rounds",
          line: 1,
          col: 13,
          message: `expected an integer from 1 to 10000, ${got}`,
        },
      ]);
    });

    it.each(["1", "10000"])("accepts max_rounds: %s", (value) => {
      expect(compileConfig(`max_rounds: ${value}`, workspaceWith()).config?.maxRounds).toBe(
        Number(value),
      );
    });

    it("rejects bad durations at their values", () => {
      const errors = errorsOf(
        "senses:",
        "  cpu:",
        "    throttle: fast",
        "    timeout: 30",
        "    grace_period: -1s",
        "  disk:",
        "    timeout: 0s",
        "reflexes:",
        "  - { kind: sense, sense: cpu, interval: 0ms }",
      );
      expect(errors).toEqual([
        {
          path: "senses.cpu.throttle",
          line: 3,
          col: 15,
          message: 'expected a duration such as 10s or 1m30s, got "fast" (units: ms, s, m, h, d)',
        },
        {
          path: "senses.cpu.timeout",
          line: 4,
          col: 14,
          message:
            "expected a duration such as 30s, got 30 (a number needs a unit: ms, s, m, h or d)",
        },
        {
          path: "senses.cpu.grace_period",
          line: 5,
          col: 19,
          message:
            'expected a duration such as 10s or 1m30s, got "-1s" (a duration cannot be negative)',
        },
        {
          path: "senses.disk.timeout",
          line: 7,
          col: 14,
          message: 'expected a duration greater than 0, got "0s"',
        },
        {
          path: "reflexes[0].interval",
          line: 9,
          col: 42,
          message: 'expected a duration greater than 0, got "0ms"',
        },
      ]);
    });

    it("rejects bad workflow settings at their values", () => {
      const errors = errorsOf(
        "workflows:",
        "  w:",
        "    concurrency: 0",
        "    overflow: spill",
        "    max_queue: -1",
      );
      expect(errors).toEqual([
        {
          path: "workflows.w.concurrency",
          line: 3,
          col: 18,
          message: "expected an integer >= 1, got 0",
        },
        {
          path: "workflows.w.overflow",
          line: 4,
          col: 15,
          message: 'expected "drop" or "queue", got "spill"',
        },
        {
          path: "workflows.w.max_queue",
          line: 5,
          col: 16,
          message: "expected an integer >= 0, got -1",
        },
      ]);
    });

    it("rejects a reflex kind other than sense", () => {
      expect(
        errorsOf("senses: { cpu: }", "reflexes:", "  - { kind: timer, sense: cpu, interval: 1s }"),
      ).toEqual([
        {
          path: "reflexes[0].kind",
          line: 3,
          col: 13,
          message: 'expected "sense" (the only kind), got "timer"',
        },
      ]);
    });

    it("rejects a reflex without kind or sense at the reflex", () => {
      expect(
        errorsOf("reflexes:", "  - interval: 1s", "  - kind:", "    sense: 5", "    interval: 1s"),
      ).toEqual([
        {
          path: "reflexes[0].kind",
          line: 2,
          col: 5,
          message: 'missing required key "kind"; expected "sense" (the only kind)',
        },
        {
          path: "reflexes[0].sense",
          line: 2,
          col: 5,
          message: 'missing required key "sense"; expected the name of a declared sense',
        },
        {
          path: "reflexes[1].kind",
          line: 3,
          col: 10,
          message: 'expected "sense" (the only kind), got nothing',
        },
        {
          path: "reflexes[1].sense",
          line: 4,
          col: 12,
          message: "expected the name of a declared sense, got 5",
        },
      ]);
    });
  });

  describe("unknown keys", () => {
    it.each([
      ["senses:\n  cpu:\n    gracePeriod: 5s", "senses.cpu.gracePeriod", 3, "grace_period"],
      ["senses:\n  cpu:\n    throtle: 5s", "senses.cpu.throtle", 3, "throttle"],
      ["senses:\n  cpu:\n    Timeout: 5s", "senses.cpu.Timeout", 3, "timeout"],
      ["workflows:\n  w:\n    maxQueue: 1", "workflows.w.maxQueue", 3, "max_queue"],
      ["workflows:\n  w:\n    max-queue: 1", "workflows.w.max-queue", 3, "max_queue"],
      ["reflexes:\n  - intervall: 5s", "reflexes[0].intervall", 2, "interval"],
      ["sense:\n  cpu:", "sense", 1, "senses"],
      ["maxRounds: 3", "maxRounds", 1, "max_rounds"],
    ])("names the close match for %j", (text, path, line, match) => {
      const errors = compileConfig(text, workspaceFor(["cpu"], ["w"])).errors;
      const key = path
        .split(/[.[\]]/)
        .filter(Boolean)
        .at(-1)!;
      expect(errors).toContainEqual(
        expect.objectContaining({
          path,
          line,
          message: `unknown key "${key}"; did you mean "${match}"?`,
        }),
      );
    });

    it("points at the key and lists the known keys when nothing is close", () => {
      expect(errorsOf("senses:", "  cpu:", "    colour: red")).toEqual([
        {
          path: "senses.cpu.colour",
          line: 3,
          col: 5,
          message: 'unknown key "colour"; expected one of: group, throttle, timeout, grace_period',
        },
      ]);
    });
  });

  describe("names", () => {
    /** Records every path asked for, so a test can show a bad name never reaches the file system. */
    function recordingFs(): WorkspaceFs & { asked: string[] } {
      const asked: string[] = [];
      return { asked, isFile: (path) => (asked.push(path), false) };
    }

    it.each([
      ["../x", 'senses["../x"]'],
      ["A", "senses.A"],
      ["a/b", 'senses["a/b"]'],
      ["", 'senses[""]'],
      ["1abc", "senses.1abc"],
      ["a".repeat(64), `senses.${"a".repeat(64)}`],
      ["a_b", "senses.a_b"],
    ])("rejects the sense name %j without looking for its files", (name, path) => {
      const fs = recordingFs();
      const report = compileConfig(yamlLines("senses:", `  ${JSON.stringify(name)}:`), fs);
      expect(report.errors).toEqual([
        {
          path,
          line: 2,
          col: 3,
          message:
            `invalid sense name ${JSON.stringify(name)}: names become file names, so they must match ` +
            '^[a-z][a-z0-9-]{0,62}$ (lowercase letters, digits and "-", starting with a letter, at most 63 characters)',
        },
      ]);
      expect(fs.asked).toEqual([]);
    });

    it("accepts a name of 63 characters", () => {
      const name = `a${"-".repeat(61)}z`;
      expect(compileConfig(`workflows:\n  ${name}:\n`, workspaceFor([], [name])).ok).toBe(true);
    });

    it("rejects bad workflow and group names", () => {
      const errors = errorsOf("senses:", "  cpu: { group: ../sys }", "workflows:", "  ../w:");
      expect(errors.map((e) => [e.path, e.line, e.col, e.message.split(":")[0]])).toEqual([
        ["senses.cpu.group", 2, 17, 'invalid group name "../sys"'],
        ['workflows["../w"]', 4, 3, 'invalid workflow name "../w"'],
      ]);
    });
  });
});
