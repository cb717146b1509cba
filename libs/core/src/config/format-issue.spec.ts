import { describe, expect, it } from "vitest";

import { formatIssue } from "./format-issue.js";

describe(formatIssue.name, () => {
  it("writes file:line:col, the path and the message", () => {
    const issue = {
      path: "senses.cpu.throttle",
      line: 12,
      col: 5,
      message: 'expected a duration such as 10s or 1m30s, got "fast"',
    };
    expect(formatIssue(issue)).toBe(
      'nerve.yaml:12:5 senses.cpu.throttle: expected a duration such as 10s or 1m30s, got "fast"',
    );
  });

  it("names another file when given one", () => {
    expect(
      formatIssue({ path: "max_rounds", line: 1, col: 13, message: "m" }, "ws/nerve.yaml"),
    ).toBe("ws/nerve.yaml:1:13 max_rounds: m");
  });

  it("leaves out a position the YAML does not have, and an empty path", () => {
    expect(formatIssue({ path: "modules[0]", line: null, col: null, message: "m" })).toBe(
      "nerve.yaml modules[0]: m",
    );
    expect(formatIssue({ path: "", line: 3, col: 1, message: "YAML syntax error: x" })).toBe(
      "nerve.yaml:3:1 YAML syntax error: x",
    );
  });
});
