import { describe, expect, it } from "vitest";
import { UsageError } from "../common/cli-errors.js";
import { parseStep, planBackfill } from "./backfill-plan.js";

const T = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

describe(planBackfill.name, () => {
  it("lists the instants from `from` by `step`, `to` included when it is on the grid", () => {
    expect(planBackfill({ from: T, to: T + 4 * HOUR, stepMs: HOUR, max: 10 })).toEqual({
      from: T,
      to: T + 4 * HOUR,
      stepMs: HOUR,
      instants: [0, 1, 2, 3, 4].map((k) => T + k * HOUR),
    });
  });

  it("stops at the last instant not after `to` when `to` is off the grid", () => {
    const plan = planBackfill({ from: T, to: T + 150 * 60_000, stepMs: HOUR, max: 10 });
    expect(plan.instants).toEqual([T, T + HOUR, T + 2 * HOUR]);
  });

  it("runs one instant when `from` equals `to`", () => {
    expect(planBackfill({ from: T, to: T, stepMs: HOUR, max: 1 }).instants).toEqual([T]);
  });

  it("refuses `from` after `to`, naming both instants", () => {
    expect(() => planBackfill({ from: T + HOUR, to: T, stepMs: HOUR, max: 10 })).toThrow(
      /--from \(2026-01-01T01:00:00\.000Z\) is after --to \(2026-01-01T00:00:00\.000Z\)/,
    );
  });

  it("refuses a step below 1 ms", () => {
    expect(() => planBackfill({ from: T, to: T + HOUR, stepMs: 0, max: 10 })).toThrow(UsageError);
  });

  it("refuses more instants than `max`, saying how many and how to go on", () => {
    expect(() => planBackfill({ from: T, to: T + 24 * HOUR, stepMs: HOUR, max: 24 })).toThrow(
      /--step 1h makes 25 instants, more than --max 24; .*raise --max/,
    );
    expect(
      planBackfill({ from: T, to: T + 24 * HOUR, stepMs: HOUR, max: 25 }).instants,
    ).toHaveLength(25);
  });
});

describe(parseStep.name, () => {
  it.each([
    ["1h", HOUR],
    ["15m", 15 * 60_000],
    ["1m30s", 90_000],
    [" 1d ", 24 * HOUR],
  ])("reads %j", (text, ms) => {
    expect(parseStep(text)).toBe(ms);
  });

  it.each([
    ["0s", /--step: expected a duration of at least 1ms, got "0s"/],
    ["1 hour", /--step: expected a duration such as/],
    ["", /--step: expected a duration/],
    ["-1h", /--step: expected a duration/],
  ])("refuses %j as a usage error", (text, message) => {
    expect(() => parseStep(text)).toThrow(UsageError);
    expect(() => parseStep(text)).toThrow(message);
  });
});
