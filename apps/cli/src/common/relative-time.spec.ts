import { describe, expect, it } from "vitest";
import { formatAgo } from "./relative-time.js";

const NOW = 1_800_000_000_000;

describe(formatAgo.name, () => {
  it.each([
    [NOW - 400, "just now"],
    [NOW - 3_000, "3s ago"],
    [NOW - 5 * 60_000 - 59_000, "5m ago"],
    [NOW - 2 * 3_600_000, "2h ago"],
    [NOW - 4 * 86_400_000, "4d ago"],
    [NOW + 3_000, "in 3s"],
  ])("shows %i as %j, in the largest whole unit", (ts, text) => {
    expect(formatAgo(ts, NOW)).toBe(text);
  });
});
