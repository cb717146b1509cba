import { describe, expect, it } from "vitest";
import { UsageError } from "../common/cli-errors.js";
import { parseJsonValue, parseWholeNumber } from "./workflow-options.js";

describe(parseWholeNumber.name, () => {
  it("returns the number for plain digits at or above the minimum", () => {
    expect(parseWholeNumber("--limit", "1", 1)).toBe(1);
    expect(parseWholeNumber("--offset", "0", 0)).toBe(0);
    expect(parseWholeNumber("--offset", "007", 0)).toBe(7);
  });

  it.each([["0"], ["-1"], ["1.5"], ["1e3"], ["0x10"], [" 5"], [""], ["99999999999999999999"]])(
    "refuses %j as a usage error naming the flag, the value and what is expected",
    (value) => {
      expect(() => parseWholeNumber("--limit", value, 1)).toThrow(UsageError);
      expect(() => parseWholeNumber("--limit", value, 1)).toThrow(
        `--limit: expected a whole number >= 1, got ${JSON.stringify(value)}`,
      );
    },
  );
});

describe(parseJsonValue.name, () => {
  it("parses any JSON value, null included", () => {
    expect(parseJsonValue("--payload", '{"a":[1,"x"]}')).toEqual({ a: [1, "x"] });
    expect(parseJsonValue("--payload", "null")).toBeNull();
    expect(parseJsonValue("--payload", '"text"')).toBe("text");
  });

  it("refuses text that is not JSON as a usage error with the parser's reason", () => {
    expect(() => parseJsonValue("--payload", "{a: 1}")).toThrow(UsageError);
    expect(() => parseJsonValue("--payload", "{a: 1}")).toThrow(
      /^--payload: not valid JSON \(.+\); got "\{a: 1\}"$/,
    );
  });
});
