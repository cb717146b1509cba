import { describe, expect, it } from "vitest";
import { describeRoute, routeSenseComputeOutput, type SenseRoute } from "./route.js";

describe(routeSenseComputeOutput.name, () => {
  describe("null results", () => {
    it.each([null, undefined])("routes %s to nothing", (value) => {
      expect(routeSenseComputeOutput(value)).toEqual({ kind: "none" });
    });
  });

  describe("workflow directives", () => {
    it("starts the workflow with the object minus workflow as payload", () => {
      const output = { workflow: "cleanup|10|free space", pct: 93, host: "a" };
      expect(routeSenseComputeOutput(output)).toEqual({
        kind: "workflow",
        directive: { workflow: "cleanup", maxRounds: 10, prompt: "free space" },
        payload: { pct: 93, host: "a" },
      });
    });

    it("keeps pipes of the prompt and allows an empty prompt", () => {
      const piped = routeSenseComputeOutput({ workflow: "w|2|a|b" });
      const empty = routeSenseComputeOutput({ workflow: "w|2|" });
      expect(piped).toMatchObject({ kind: "workflow", directive: { prompt: "a|b" }, payload: {} });
      expect(empty).toMatchObject({ kind: "workflow", directive: { prompt: "" } });
    });

    it("accepts objects with a null prototype", () => {
      const output = Object.assign(Object.create(null) as Record<string, unknown>, {
        workflow: "w|1|go",
        n: 1,
      });
      expect(routeSenseComputeOutput(output)).toEqual({
        kind: "workflow",
        directive: { workflow: "w", maxRounds: 1, prompt: "go" },
        payload: { n: 1 },
      });
    });

    it("does not mutate the returned object", () => {
      const output = { workflow: "w|1|go", nested: { a: 1 } };
      const snapshot = structuredClone(output);
      const route = routeSenseComputeOutput(output);
      expect(output).toEqual(snapshot);
      expect(route.kind === "workflow" && route.payload).not.toBe(output);
    });
  });

  describe("workflow keys that are not directives", () => {
    it.each([
      ["null", null],
      ["an empty string", ""],
      ["undefined", undefined],
    ])("emits a signal without the key and without a warning when workflow is %s", (_l, value) => {
      expect(routeSenseComputeOutput({ workflow: value, pct: 1 })).toEqual({
        kind: "signal",
        payload: { pct: 1 },
      });
    });

    it.each([
      ["a number", 5, 'expected "name|maxRounds|prompt", got number'],
      ["an object", { name: "w" }, 'expected "name|maxRounds|prompt", got object'],
      ["a malformed string", "w|0|x", 'maxRounds must be a positive integer, got "0"'],
      [
        "a string with one pipe",
        "w|5",
        'expected "name|maxRounds|prompt", got "w|5" (needs two "|")',
      ],
      ["a boolean", true, 'expected "name|maxRounds|prompt", got boolean'],
    ])("emits a signal without the key and says why when workflow is %s", (_l, value, reason) => {
      expect(routeSenseComputeOutput({ workflow: value, pct: 1 })).toEqual({
        kind: "signal",
        payload: { pct: 1 },
        ignoredDirective: { value, reason },
      });
    });

    it("does not mutate the returned object when dropping the key", () => {
      const output = { workflow: null, pct: 1 };
      routeSenseComputeOutput(output);
      expect(output).toEqual({ workflow: null, pct: 1 });
    });
  });

  describe("everything else", () => {
    class Report {
      workflow = "w|1|go";
    }
    const inherited = Object.create({ workflow: "w|1|go" }) as Record<string, unknown>;
    inherited.pct = 5;
    const date = new Date(0);
    const map = new Map([["workflow", "w|1|go"]]);

    it.each([
      ["zero", 0],
      ["false", false],
      ["an empty string", ""],
      ["a string", "x"],
      ["a directive-shaped string", "w|1|go"],
      ["an array", [{ workflow: "w|1|go" }]],
      ["an object without workflow", { pct: 5 }],
      ["a class instance with a workflow field", new Report()],
      ["an object with an inherited workflow", inherited],
      ["a Date", date],
      ["a Map", map],
    ])("emits %s as the payload itself", (_label, value) => {
      const route = routeSenseComputeOutput(value);
      expect(route).toEqual({ kind: "signal", payload: value });
      expect(route.kind === "signal" && route.payload).toBe(value);
    });
  });
});

describe(describeRoute.name, () => {
  it.each<[SenseRoute, string]>([
    [{ kind: "none" }, "nothing (null or undefined result)"],
    [{ kind: "signal", payload: 1 }, "signal"],
    [
      { kind: "signal", payload: {}, ignoredDirective: { value: 5, reason: "because" } },
      "signal (workflow key ignored: because)",
    ],
    [
      {
        kind: "workflow",
        directive: { workflow: "cleanup", maxRounds: 10, prompt: "x" },
        payload: {},
      },
      'workflow cleanup (maxRounds 10, prompt "x")',
    ],
    [
      {
        kind: "workflow",
        directive: { workflow: "w", maxRounds: 1, prompt: 'say "hi"\nthen go' },
        payload: {},
      },
      'workflow w (maxRounds 1, prompt "say \\"hi\\"\\nthen go")',
    ],
  ])("describes %j", (route, line) => {
    expect(describeRoute(route)).toBe(line);
  });

  it("cuts long prompts to their first 60 characters and keeps it on one line", () => {
    const prompt = "é".repeat(59) + "😀" + "tail\n".repeat(20);
    const line = describeRoute({
      kind: "workflow",
      directive: { workflow: "w", maxRounds: 3, prompt },
      payload: {},
    });
    expect(line).toBe(`workflow w (maxRounds 3, prompt "${"é".repeat(59)}😀"… (160 characters))`);
    expect(line).not.toContain("\n");
  });
});
