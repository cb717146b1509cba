import { describe, expect, it } from "vitest";
import { formatExamples } from "./nerve-command.js";

describe(formatExamples.name, () => {
  it("aligns what each example does after its command line", () => {
    expect(
      formatExamples([
        ["nerve status", "is it running?"],
        ["nerve logs -f", "follow"],
      ]),
    ).toBe(
      ["Examples:", "  nerve status    is it running?", "  nerve logs -f   follow"].join("\n"),
    );
  });

  it("puts the comment of a very long command line on the next line", () => {
    const long = `nerve sense query vitals "${"x".repeat(40)}"`;
    const lines = formatExamples([
      ["nerve status", "short"],
      [long, "long one"],
    ]).split("\n");
    expect(lines[2]).toBe(`  ${long}`);
    expect(lines[3]).toBe(`  ${" ".repeat("nerve status".length)}   long one`);
  });

  it("shows an example without a comment as the command line alone", () => {
    expect(formatExamples([["nerve validate"]])).toBe("Examples:\n  nerve validate");
  });
});
