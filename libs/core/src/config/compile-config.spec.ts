import { describe, expect, it } from "vitest";

import { workspaceFor, workspaceWith, yamlLines } from "./__fixtures__/workspace.js";
import { compileConfig } from "./compile-config.js";
import { findSense, findWorkflow } from "./find.js";

describe(compileConfig.name, () => {
  describe("defaults", () => {
    it.each([
      ["an empty file", ""],
      ["a file of comments", "# nothing yet\n"],
      ["an explicit null", "~\n"],
      ["null sections", yamlLines("senses:", "reflexes:", "workflows:", "modules:")],
    ])("compiles %s to an empty config", (_, text) => {
      expect(compileConfig(text, workspaceWith())).toEqual({
        ok: true,
        config: {
          maxRounds: 100,
          senses: [],
          reflexes: [],
          workflows: [],
          modules: [],
          store: { archiveAfterMs: 7 * 86_400_000, deleteArchiveAfterMs: null, maxSizeBytes: null },
        },
        errors: [],
        warnings: [],
      });
    });

    it("gives a sense declared with no settings every default", () => {
      const report = compileConfig(
        yamlLines(
          "senses:",
          "  cpu:",
          "reflexes:",
          "  - kind: sense",
          "    sense: cpu",
          "    interval: 1m",
        ),
        workspaceFor(["cpu"]),
      );
      expect(report.config?.senses).toEqual([
        {
          name: "cpu",
          group: "default",
          throttleMs: 0,
          timeoutMs: 30_000,
          gracePeriodMs: 0,
          computeFile: "senses/cpu/compute.ts",
        },
      ]);
    });

    it("treats a setting given with no value as not given", () => {
      const report = compileConfig(
        yamlLines(
          "senses:",
          "  cpu:",
          "    throttle:",
          "    timeout: ~",
          "workflows:",
          "  w:",
          "    overflow:",
        ),
        workspaceFor(["cpu"], ["w"]),
      );
      expect(report.errors).toEqual([]);
      expect(report.config?.senses[0]).toMatchObject({ throttleMs: 0, timeoutMs: 30_000 });
      expect(report.config?.workflows[0]).toMatchObject({ overflow: "queue" });
    });

    it("gives a workflow declared with no settings every default", () => {
      const report = compileConfig(
        yamlLines("workflows:", "  cleanup:"),
        workspaceFor([], ["cleanup"]),
      );
      expect(report.config?.workflows).toEqual([
        {
          name: "cleanup",
          concurrency: 1,
          overflow: "queue",
          maxQueue: 100,
          file: "workflows/cleanup/index.ts",
        },
      ]);
    });

    it("leaves interval null and on empty when a reflex does not set them", () => {
      const report = compileConfig(
        yamlLines(
          "senses:",
          "  a:",
          "  b:",
          "reflexes:",
          "  - { kind: sense, sense: a, on: [b] }",
          "  - { kind: sense, sense: b, interval: 5s }",
        ),
        workspaceFor(["a", "b"]),
      );
      expect(report.config?.reflexes).toEqual([
        { kind: "sense", sense: "a", intervalMs: null, on: ["b"], index: 0 },
        { kind: "sense", sense: "b", intervalMs: 5_000, on: [], index: 1 },
      ]);
    });
  });

  describe("compiled values", () => {
    const text = yamlLines(
      "max_rounds: 12",
      "senses:",
      "  cpu-usage:",
      "    group: system",
      "    throttle: 10s",
      "    timeout: 1m30s",
      "    grace_period: 500ms",
      "  disk-pressure:",
      "reflexes:",
      "  - kind: sense",
      "    sense: cpu-usage",
      "    interval: 30s",
      "    on: [disk-pressure, disk-pressure]",
      "  - kind: sense",
      "    sense: disk-pressure",
      "    interval: 1h",
      "workflows:",
      "  cleanup:",
      "    concurrency: 3",
      "    overflow: drop",
      "    max_queue: 0",
      "modules: [./modules/audit.module.ts, modules/../lib/x.js]",
    );
    const fs = workspaceWith(
      "senses/cpu-usage/compute.ts",
      "senses/disk-pressure/compute.mts",
      "workflows/cleanup/index.js",
      "modules/audit.module.ts",
      "lib/x.js",
    );

    it("applies every key, durations in ms, in YAML order", () => {
      const report = compileConfig(text, fs);
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual([]);
      expect(report.config).toEqual({
        maxRounds: 12,
        senses: [
          {
            name: "cpu-usage",
            group: "system",
            throttleMs: 10_000,
            timeoutMs: 90_000,
            gracePeriodMs: 500,
            computeFile: "senses/cpu-usage/compute.ts",
          },
          {
            name: "disk-pressure",
            group: "default",
            throttleMs: 0,
            timeoutMs: 30_000,
            gracePeriodMs: 0,
            computeFile: "senses/disk-pressure/compute.mts",
          },
        ],
        reflexes: [
          {
            kind: "sense",
            sense: "cpu-usage",
            intervalMs: 30_000,
            on: ["disk-pressure"],
            index: 0,
          },
          { kind: "sense", sense: "disk-pressure", intervalMs: 3_600_000, on: [], index: 1 },
        ],
        workflows: [
          {
            name: "cleanup",
            concurrency: 3,
            overflow: "drop",
            maxQueue: 0,
            file: "workflows/cleanup/index.js",
          },
        ],
        modules: ["modules/audit.module.ts", "lib/x.js"],
        store: { archiveAfterMs: 7 * 86_400_000, deleteArchiveAfterMs: null, maxSizeBytes: null },
      });
    });

    it("finds senses and workflows by name", () => {
      const config = compileConfig(text, fs).config!;
      expect(findSense(config, "disk-pressure")?.computeFile).toBe(
        "senses/disk-pressure/compute.mts",
      );
      expect(findSense(config, "nope")).toBeUndefined();
      expect(findWorkflow(config, "cleanup")?.concurrency).toBe(3);
      expect(findWorkflow(config, "cpu-usage")).toBeUndefined();
    });

    it("prefers compute.ts over compute.js over compute.mts", () => {
      const report = compileConfig(
        yamlLines(
          "senses:",
          "  a:",
          "  b:",
          "reflexes:",
          "  - { kind: sense, sense: a, on: [b] }",
          "  - { kind: sense, sense: b, on: [a] }",
        ),
        workspaceWith(
          "senses/a/compute.ts",
          "senses/a/compute.js",
          "senses/b/compute.js",
          "senses/b/compute.mts",
        ),
      );
      expect(report.config?.senses.map((s) => s.computeFile)).toEqual([
        "senses/a/compute.ts",
        "senses/b/compute.js",
      ]);
    });

    it("reads values through YAML anchors and aliases", () => {
      const report = compileConfig(
        yamlLines(
          "senses:",
          "  a: &shared { group: io, throttle: 2s }",
          "  b: *shared",
          "reflexes:",
          "  - { kind: sense, sense: a, on: &sources [b] }",
          "  - { kind: sense, sense: b, on: *sources, interval: 1s }",
        ),
        workspaceFor(["a", "b"]),
      );
      expect(report.errors).toEqual([]);
      expect(report.config?.senses.map((s) => [s.name, s.group, s.throttleMs])).toEqual([
        ["a", "io", 2_000],
        ["b", "io", 2_000],
      ]);
    });
  });

  describe("reporting", () => {
    it("reports every problem in one pass, in file order", () => {
      const report = compileConfig(
        yamlLines(
          "max_rounds: 0", //                 1
          "senses:", //                       2
          "  cpu:", //                        3
          "    gracePeriod: 5s", //           4
          "    throttle: fast", //            5
          "  Bad:", //                        6
          "reflexes:", //                     7
          "  - kind: sense", //               8
          "    sense: cpuu", //               9
          "    workflow: cleanup", //         10
          "    interval: 1.5s", //            11
          "workflows:", //                    12
          "  cleanup:", //                    13
          "    overflow: spill", //           14
          "modules: [../escape.ts]", //       15
        ),
        workspaceFor(["cpu", "bad"], ["cleanup"]),
      );
      expect(report.ok).toBe(false);
      expect(report.config).toBeNull();
      expect(report.errors.map((e) => `${String(e.line)}:${String(e.col)} ${e.path}`)).toEqual([
        "1:13 max_rounds",
        "4:5 senses.cpu.gracePeriod",
        "5:15 senses.cpu.throttle",
        "6:3 senses.Bad",
        "9:12 reflexes[0].sense",
        "10:5 reflexes[0].workflow",
        "11:15 reflexes[0].interval",
        "14:15 workflows.cleanup.overflow",
        "15:11 modules[0]",
      ]);
    });

    it("turns an exception inside the compiler into an error instead of throwing", () => {
      const failing = {
        isFile: (): boolean => {
          throw new Error("disk on fire");
        },
      };
      expect(compileConfig(yamlLines("senses:", "  cpu:"), failing)).toEqual({
        ok: false,
        config: null,
        errors: [
          {
            path: "",
            line: null,
            col: null,
            message: "internal error while checking nerve.yaml: disk on fire",
          },
        ],
        warnings: [],
      });
    });

    it("keeps warnings when there are errors", () => {
      const report = compileConfig(
        yamlLines("max_rounds: x", "senses:", "  idle:"),
        workspaceFor(["idle"]),
      );
      expect(report.errors).toHaveLength(1);
      expect(report.warnings.map((w) => w.path)).toEqual(["senses.idle"]);
    });
  });
});
