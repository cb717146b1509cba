import { describe, expect, it } from "vitest";
import { bundleIsFresh } from "./launcher.js";

describe(bundleIsFresh.name, () => {
  it("uses a bundle written after the last compile", () => {
    expect(bundleIsFresh(2_000, 1_000)).toBe(true);
    expect(bundleIsFresh(1_000, 1_000)).toBe(true);
  });

  it("falls back to the modules when a compile came after the bundle", () => {
    expect(bundleIsFresh(1_000, 2_000)).toBe(false);
  });

  it("falls back to the modules when there is no bundle", () => {
    expect(bundleIsFresh(null, 1_000)).toBe(false);
    expect(bundleIsFresh(null, null)).toBe(false);
  });

  it("uses the bundle of an install that has no build info", () => {
    expect(bundleIsFresh(1_000, null)).toBe(true);
  });
});
