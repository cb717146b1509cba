import { describe, expect, it } from "vitest";

import { durationErrorFor, formatDuration, parseDuration } from "./duration.js";
import { InvalidDurationError } from "./errors/invalid-duration.error.js";

describe(parseDuration.name, () => {
  describe("valid durations", () => {
    it.each([
      ["500ms", 500],
      ["0ms", 0],
      ["0s", 0],
      ["10s", 10_000],
      ["5m", 300_000],
      ["1h", 3_600_000],
      ["1d", 86_400_000],
      ["90s", 90_000],
      ["1m30s", 90_000],
      ["1h5m", 3_900_000],
      ["2s500ms", 2_500],
      ["1d2h3m4s5ms", 93_784_005],
      ["1h500ms", 3_600_500],
      ["007s", 7_000],
    ])("reads %s as %i ms", (text, ms) => {
      expect(parseDuration(text)).toEqual({ ok: true, value: ms });
    });
  });

  describe("invalid durations", () => {
    it.each([
      ["", 'expected a duration such as 10s or 1m30s, got ""'],
      ["30", 'expected a duration such as 30s, got "30" (a number needs a unit: ms, s, m, h or d)'],
      ["-5s", "(a duration cannot be negative)"],
      ["1.5s", "(whole numbers only: write 1s500ms, not 1.5s)"],
      ["1,5s", "(whole numbers only"],
      ["1m 30s", "(no spaces inside a duration)"],
      [" 10s", "(no spaces inside a duration)"],
      ["10s ", "(no spaces inside a duration)"],
      ["30s1m", "(units go from largest to smallest, each at most once: d, h, m, s, ms)"],
      ["1h1h", "(units go from largest to smallest"],
      ["500ms1s", "(units go from largest to smallest"],
      ["5y", "(units: ms, s, m, h, d)"],
      ["10S", "(units: ms, s, m, h, d)"],
      ["fast", 'got "fast" (units: ms, s, m, h, d)'],
      ["s", "(units: ms, s, m, h, d)"],
      ["1e3ms", "(units: ms, s, m, h, d)"],
      ["99999999999999999999d", "(too large)"],
    ])("rejects %j, saying %s", (text, fragment) => {
      const parsed = parseDuration(text);
      expect(parsed.ok).toBe(false);
      expect(parsed.ok ? "" : parsed.error).toContain(fragment);
    });

    it("shortens a very long value in its message", () => {
      const parsed = parseDuration("x".repeat(1000));
      expect(parsed.ok ? "" : parsed.error).toContain(`"${"x".repeat(40)}…"`);
    });
  });

  describe("messages for values that are not strings", () => {
    it("suggests adding a unit to a whole number", () => {
      expect(durationErrorFor(30, "30")).toBe(
        "expected a duration such as 30s, got 30 (a number needs a unit: ms, s, m, h or d)",
      );
    });

    it("gives the general example for other values", () => {
      expect(durationErrorFor(-2, "-2")).toBe("expected a duration such as 10s or 1m30s, got -2");
      expect(durationErrorFor(true, "true")).toBe(
        "expected a duration such as 10s or 1m30s, got true",
      );
    });
  });
});

describe(formatDuration.name, () => {
  it.each([
    [0, "0ms"],
    [1, "1ms"],
    [500, "500ms"],
    [1_000, "1s"],
    [1_500, "1s500ms"],
    [90_000, "1m30s"],
    [3_600_000, "1h"],
    [3_900_000, "1h5m"],
    [86_400_000, "1d"],
    [93_784_005, "1d2h3m4s5ms"],
    [1_234.4, "1s234ms"],
  ])("writes %d ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("writes what parseDuration reads back", () => {
    for (let ms = 0; ms < 200_000_000; ms = ms * 3 + 7) {
      expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, value: ms });
    }
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses %d", (ms) => {
    expect(() => formatDuration(ms)).toThrow(InvalidDurationError);
    expect(() => formatDuration(ms)).toThrow(/expected a finite number of milliseconds >= 0/);
  });
});
