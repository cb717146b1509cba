import { describe, expect, it } from "vitest";

import { workspaceFor, workspaceWith, yamlLines } from "./__fixtures__/workspace.js";
import { compileConfig } from "./compile-config.js";

describe(compileConfig.name, () => {
  describe("YAML errors", () => {
    it("reports a syntax error with its line and column", () => {
      const report = compileConfig(
        yamlLines("senses:", "  cpu: [1", "max_rounds: 3"),
        workspaceWith(),
      );
      expect(report.ok).toBe(false);
      expect(report.config).toBeNull();
      expect(report.errors.length).toBeGreaterThan(0);
      expect(report.errors[0]).toMatchObject({ path: "", line: 3, col: 1 });
      expect(report.errors[0]?.message).toMatch(/^YAML syntax error: /);
    });

    it("reports a tab used as indentation", () => {
      const report = compileConfig("senses:\n\tcpu:\n", workspaceWith());
      expect(report.errors[0]).toMatchObject({ line: 2, col: 1 });
      expect(report.errors[0]?.message).toContain("Tabs are not allowed");
    });

    it("reports a second document in the file", () => {
      const report = compileConfig(
        yamlLines("max_rounds: 3", "---", "max_rounds: 4"),
        workspaceWith(),
      );
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({ line: 2, col: 1 });
      expect(report.errors[0]?.message).toContain("multiple documents");
    });

    it("reports a repeated key once, at the repeat, with its path", () => {
      const report = compileConfig(
        yamlLines("senses:", "  cpu:", "    throttle: 1s", "    throttle: 2s", "  cpu:"),
        workspaceFor(["cpu"]),
      );
      expect(report.errors).toEqual([
        {
          path: "senses.cpu.throttle",
          line: 4,
          col: 5,
          message: 'duplicate key "throttle"; each key may appear once',
        },
        {
          path: "senses.cpu",
          line: 5,
          col: 3,
          message: 'duplicate key "cpu"; each key may appear once',
        },
      ]);
    });

    it("reports a repeated key in a mapping that is itself wrong", () => {
      const report = compileConfig(yamlLines("max_rounds: { a: 1, a: 2 }"), workspaceWith());
      expect(report.errors.map((e) => [e.path, e.line, e.col])).toEqual([
        ["max_rounds", 1, 13],
        ["", 1, 21],
      ]);
      expect(report.errors[1]?.message).toBe("duplicate key; each key may appear once");
    });

    it("reports an alias that names no anchor", () => {
      const report = compileConfig(yamlLines("senses:", "  cpu: *missing"), workspaceFor(["cpu"]));
      expect(report.errors).toEqual([
        {
          path: "senses.cpu",
          line: 2,
          col: 8,
          message: "alias *missing refers to no anchor defined before it",
        },
      ]);
    });

    it("passes on yaml's warnings without failing", () => {
      const report = compileConfig(yamlLines("max_rounds: !custom 5"), workspaceWith());
      expect(report.warnings).toEqual([
        { path: "", line: 1, col: 13, message: "Unresolved tag: !custom" },
      ]);
    });
  });
});
