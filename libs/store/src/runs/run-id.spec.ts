import { describe, expect, it } from "vitest";
import { newRunId } from "./run-id.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(newRunId.name, () => {
  it("is a UUID version 7 whose first 48 bits are the time in ms", () => {
    const id = newRunId(1_795_664_573_518);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(1_795_664_573_518);
    expect(newRunId(0)).toMatch(/^00000000-0000-7/);
  });

  it("sorts by time and never repeats within a millisecond", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => newRunId(1_000 + Math.floor(i / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    const times = ids.map((id) => id.slice(0, 13));
    expect([...times].sort()).toEqual(times);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it("stamps each id with its own time when times go back and forth", () => {
    const times = [5_000, 5_001, 5_000, 0xffff_ffff_ffff, 5_001];
    const stamped = times.map((t) => {
      const id = newRunId(t);
      return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    });
    expect(stamped).toEqual(times);
  });
});
