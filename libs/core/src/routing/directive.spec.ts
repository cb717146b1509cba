import { describe, expect, it } from "vitest";
import { checkSenseWorkflowDirective, parseSenseWorkflowDirective } from "./directive.js";

describe(parseSenseWorkflowDirective.name, () => {
  describe("well-formed directives", () => {
    it.each([
      [
        "cleanup|10|free some space",
        { workflow: "cleanup", maxRounds: 10, prompt: "free some space" },
      ],
      ["cleanup|1|", { workflow: "cleanup", maxRounds: 1, prompt: "" }],
      ["cleanup|3|a|b||c", { workflow: "cleanup", maxRounds: 3, prompt: "a|b||c" }],
      ["cleanup|3||", { workflow: "cleanup", maxRounds: 3, prompt: "|" }],
      ["c|2| spaced prompt ", { workflow: "c", maxRounds: 2, prompt: " spaced prompt " }],
      [
        "cleanup|5|line one\nline two",
        { workflow: "cleanup", maxRounds: 5, prompt: "line one\nline two" },
      ],
      [
        "déjà-vu|9007199254740991|x",
        { workflow: "déjà-vu", maxRounds: 9007199254740991, prompt: "x" },
      ],
    ])("parses %j", (input, expected) => {
      expect(parseSenseWorkflowDirective(input)).toEqual(expected);
    });

    it("reads maxRounds with leading zeros as the decimal number they spell", () => {
      expect(parseSenseWorkflowDirective("cleanup|007|x")).toEqual({
        workflow: "cleanup",
        maxRounds: 7,
        prompt: "x",
      });
    });
  });

  describe("malformed directives", () => {
    it.each([
      ["one pipe only", "cleanup|5"],
      ["no pipe", "cleanup"],
      ["empty string", ""],
      ["empty name", "|5|x"],
      ["whitespace around the name", " cleanup|5|x"],
      ["whitespace inside the name", "clean up|5|x"],
      ["empty maxRounds", "cleanup||x"],
      ["zero maxRounds", "cleanup|0|x"],
      ["all-zero maxRounds", "cleanup|000|x"],
      ["negative maxRounds", "cleanup|-1|x"],
      ["explicit plus sign", "cleanup|+5|x"],
      ["decimal maxRounds", "cleanup|1.5|x"],
      ["exponent maxRounds", "cleanup|1e3|x"],
      ["hex maxRounds", "cleanup|0x10|x"],
      ["space before maxRounds", "cleanup| 5|x"],
      ["space after maxRounds", "cleanup|5 |x"],
      ["maxRounds beyond safe integers", "cleanup|9007199254740992|x"],
      ["non-ASCII digits", "cleanup|５|x"],
    ])("rejects %s", (_label, input) => {
      expect(parseSenseWorkflowDirective(input)).toBeNull();
    });

    it.each([
      ["null", null],
      ["undefined", undefined],
      ["a number", 5],
      ["an object", { workflow: "cleanup", maxRounds: 5 }],
      ["an array", ["cleanup", 5, "x"]],
      ["a boolean", true],
    ])("rejects %s", (_label, input) => {
      expect(parseSenseWorkflowDirective(input)).toBeNull();
    });
  });
});

describe(checkSenseWorkflowDirective.name, () => {
  it.each([
    ["cleanup|5", 'expected "name|maxRounds|prompt", got "cleanup|5" (needs two "|")'],
    ["|5|x", 'the workflow name before the first "|" is empty'],
    [" a|5|x", 'the workflow name must not contain whitespace, got " a"'],
    ["cleanup|-3|x", 'maxRounds must be a positive integer, got "-3"'],
    [42, 'expected "name|maxRounds|prompt", got number'],
    [null, 'expected "name|maxRounds|prompt", got null'],
  ])("explains why %j is not a directive", (input, reason) => {
    expect(checkSenseWorkflowDirective(input)).toEqual({ ok: false, error: reason });
  });
});
