import { describe, expect, it } from "vitest";

import { workspaceFor, workspaceWith, yamlLines } from "./__fixtures__/workspace.js";
import { compileConfig } from "./compile-config.js";
import { normaliseModulePath } from "./compile-modules.js";

const WORKFLOW_HINT =
  'reflexes only schedule senses; a workflow starts when a sense returns a `workflow: "name|maxRounds|prompt"` ' +
  "directive, or by hand with `nerve workflow trigger <name>`";

describe(compileConfig.name, () => {
  describe("reflex triggers", () => {
    const fs = workspaceFor(["cpu", "disk"]);

    it("rejects a reflex with neither interval nor on, at the reflex", () => {
      const report = compileConfig(
        yamlLines("senses: { cpu: }", "reflexes:", "  - kind: sense", "    sense: cpu"),
        fs,
      );
      expect(report.errors).toEqual([
        {
          path: "reflexes[0]",
          line: 3,
          col: 5,
          message: 'a reflex needs "interval", "on", or both; this one has neither',
        },
      ]);
    });

    it("rejects an empty on with no interval, at the list", () => {
      const report = compileConfig(
        yamlLines("senses: { cpu: }", "reflexes:", "  - { kind: sense, sense: cpu, on: [] }"),
        fs,
      );
      expect(report.errors).toEqual([
        {
          path: "reflexes[0].on",
          line: 3,
          col: 36,
          message:
            '"on" is empty and there is no "interval", so this reflex would never run; ' +
            "list the senses whose signals trigger it, or add an interval",
        },
      ]);
    });

    it("accepts an empty on next to an interval", () => {
      const report = compileConfig(
        yamlLines(
          "senses: { cpu: }",
          "reflexes:",
          "  - { kind: sense, sense: cpu, on: [], interval: 1s }",
        ),
        fs,
      );
      expect(report.config?.reflexes).toEqual([
        { kind: "sense", sense: "cpu", intervalMs: 1_000, on: [], index: 0 },
      ]);
    });

    it("rejects on given as a single name, suggesting a list", () => {
      const report = compileConfig(
        yamlLines(
          "senses: { cpu: , disk: }",
          "reflexes:",
          "  - { kind: sense, sense: cpu, on: disk }",
        ),
        fs,
      );
      expect(report.errors).toEqual([
        {
          path: "reflexes[0].on",
          line: 3,
          col: 36,
          message: 'expected a list of sense names such as [disk-pressure], got "disk"',
        },
      ]);
    });

    it("rejects a workflow key in a reflex with how workflows start instead, at the key", () => {
      const report = compileConfig(
        yamlLines(
          "senses: { cpu: }",
          "reflexes:",
          "  - kind: sense",
          "    sense: cpu",
          "    interval: 1m",
          "    workflow: cleanup",
        ),
        fs,
      );
      expect(report.errors).toEqual([
        { path: "reflexes[0].workflow", line: 6, col: 5, message: WORKFLOW_HINT },
      ]);
    });

    it("explains the same when the kind is workflow", () => {
      const report = compileConfig(
        yamlLines(
          "senses: { cpu: }",
          "reflexes:",
          "  - { kind: workflow, sense: cpu, interval: 1s }",
        ),
        fs,
      );
      expect(report.errors[0]?.message).toBe(
        `expected "sense" (the only kind), got "workflow": ${WORKFLOW_HINT}`,
      );
    });
  });

  describe("cross-references", () => {
    it("rejects a reflex naming an undeclared sense, with the closest name", () => {
      const report = compileConfig(
        yamlLines(
          "senses: { cpu-usage: , disk: }",
          "reflexes:",
          "  - { kind: sense, sense: cpu-usgae, interval: 1s }",
          "  - { kind: sense, sense: disk, on: [cpu_usage, network] }",
        ),
        workspaceFor(["cpu-usage", "disk"]),
      );
      expect(report.errors).toEqual([
        {
          path: "reflexes[0].sense",
          line: 3,
          col: 27,
          message: 'unknown sense "cpu-usgae"; did you mean "cpu-usage"?',
        },
        {
          path: "reflexes[1].on[0]",
          line: 4,
          col: 38,
          message: 'unknown sense "cpu_usage"; did you mean "cpu-usage"?',
        },
        {
          path: "reflexes[1].on[1]",
          line: 4,
          col: 49,
          message: 'unknown sense "network"; declared senses: cpu-usage, disk',
        },
      ]);
    });

    it("says so when no senses are declared", () => {
      const report = compileConfig(
        yamlLines("reflexes:", "  - { kind: sense, sense: cpu, interval: 1s }"),
        workspaceWith(),
      );
      expect(report.errors[0]?.message).toBe(
        'unknown sense "cpu"; no senses are declared under senses',
      );
    });

    it("rejects items of on that are not names", () => {
      const report = compileConfig(
        yamlLines(
          "senses: { cpu: }",
          "reflexes:",
          "  - { kind: sense, sense: cpu, on: [5, [cpu]] }",
        ),
        workspaceFor(["cpu"]),
      );
      expect(report.errors.map((e) => [e.path, e.message])).toEqual([
        ["reflexes[0].on[0]", "expected the name of a declared sense, got 5"],
        ["reflexes[0].on[1]", "expected the name of a declared sense, got a list"],
      ]);
    });

    it("does not call every reference unknown when the senses section is malformed", () => {
      const report = compileConfig(
        yamlLines("senses: [cpu]", "reflexes:", "  - { kind: sense, sense: cpu, interval: 1s }"),
        workspaceWith(),
      );
      expect(report.errors.map((e) => e.path)).toEqual(["senses"]);
    });

    it("names the compute file a sense is missing, at the sense", () => {
      const report = compileConfig(
        yamlLines("senses:", "  cpu:", "    group: system"),
        workspaceWith("senses/cpu/index.ts"),
      );
      expect(report.errors).toEqual([
        {
          path: "senses.cpu",
          line: 2,
          col: 3,
          message:
            'sense "cpu" has no compute file: expected senses/cpu/compute.ts (or compute.js / compute.mts)',
        },
      ]);
    });

    it("names the definition file a workflow is missing, at the workflow", () => {
      const report = compileConfig(
        yamlLines("workflows:", "  cleanup:"),
        workspaceWith("workflows/cleanup/compute.ts"),
      );
      expect(report.errors).toEqual([
        {
          path: "workflows.cleanup",
          line: 2,
          col: 3,
          message:
            'workflow "cleanup" has no definition file: expected workflows/cleanup/index.ts (or index.js / index.mts)',
        },
      ]);
    });
  });

  describe("modules", () => {
    it("reports each bad entry at its position and a missing file by its path", () => {
      const report = compileConfig(
        yamlLines(
          "modules:",
          "  - ../up.ts",
          "  - /etc/x.ts",
          "  - a\\b.ts",
          "  - notes.txt",
          "  - types.d.ts",
          "  - gone.ts",
          "  - 7",
        ),
        workspaceWith("types.d.ts"),
      );
      expect(report.errors.map((e) => [e.path, e.line, e.col, e.message])).toEqual([
        [
          "modules[0]",
          2,
          5,
          'expected a path inside the workspace, got "../up.ts", which leads outside it',
        ],
        [
          "modules[1]",
          3,
          5,
          'expected a path relative to the workspace root, got the absolute path "/etc/x.ts"',
        ],
        ["modules[2]", 4, 5, 'expected a path with "/" separators, got "a\\\\b.ts"'],
        ["modules[3]", 5, 5, 'expected a path to a .ts, .mts or .js file, got "notes.txt"'],
        ["modules[4]", 6, 5, 'expected a path to a .ts, .mts or .js file, got "types.d.ts"'],
        [
          "modules[5]",
          7,
          5,
          "module file not found: expected a file at gone.ts (relative to the workspace root)",
        ],
        [
          "modules[6]",
          8,
          5,
          "expected a path to a .ts, .mts or .js file relative to the workspace root, such as modules/audit.module.ts, got 7",
        ],
      ]);
    });

    it("loads a module listed twice once, with a warning", () => {
      const report = compileConfig(yamlLines("modules: [m.ts, ./m.ts]"), workspaceWith("m.ts"));
      expect(report.config?.modules).toEqual(["m.ts"]);
      expect(report.warnings).toEqual([
        {
          path: "modules[1]",
          line: 1,
          col: 17,
          message: "module m.ts is listed more than once; it is loaded once",
        },
      ]);
    });

    it.each([
      ["./a/b.ts", "a/b.ts"],
      ["a/./b/../c.mts", "a/c.mts"],
      ["a//b.js", "a/b.js"],
    ])("normalises %s to %s", (raw, normalised) => {
      expect(normaliseModulePath(raw)).toEqual({ ok: true, value: normalised });
    });

    it.each(["", "  ", "a\u0000.ts", "C:/x.ts", "a/../../x.ts", "..", "dir/"])(
      "refuses %j",
      (raw) => {
        expect(normaliseModulePath(raw).ok).toBe(false);
      },
    );
  });

  describe("warnings", () => {
    it("warns about a sense no reflex schedules, even if others listen to it", () => {
      const report = compileConfig(
        yamlLines(
          "senses:",
          "  source:",
          "  sink:",
          "reflexes:",
          "  - { kind: sense, sense: sink, on: [source] }",
        ),
        workspaceFor(["source", "sink"]),
      );
      expect(report.ok).toBe(true);
      expect(report.config).not.toBeNull();
      expect(report.warnings).toEqual([
        {
          path: "senses.source",
          line: 2,
          col: 3,
          message: 'sense "source" is never scheduled; add a reflex or trigger it by hand',
        },
      ]);
    });

    it("warns about a sense that runs on its own signals with no throttle", () => {
      const text = (throttle: string): string =>
        yamlLines(
          "senses:",
          `  echo: { throttle: ${throttle} }`,
          "reflexes:",
          "  - { kind: sense, sense: echo, on: [echo] }",
        );
      expect(compileConfig(text("0s"), workspaceFor(["echo"])).warnings).toEqual([
        {
          path: "reflexes[0].on",
          line: 4,
          col: 37,
          message:
            'sense "echo" runs on its own signals and has no throttle, so every signal starts another compute; ' +
            'give senses.echo a throttle or remove it from "on"',
        },
      ]);
      expect(compileConfig(text("5s"), workspaceFor(["echo"])).warnings).toEqual([]);
    });
  });
});
