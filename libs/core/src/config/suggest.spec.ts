import { describe, expect, it } from "vitest";

import { suggest, toSnakeCase } from "./suggest.js";

const SENSE_KEYS = ["group", "throttle", "timeout", "grace_period"];

describe(suggest.name, () => {
  it.each([
    ["gracePeriod", "grace_period"],
    ["GracePeriod", "grace_period"],
    ["grace-period", "grace_period"],
    ["throtle", "throttle"],
    ["throttel", "throttle"],
    ["timout", "timeout"],
    ["grup", "group"],
  ])("suggests %s -> %s", (input, expected) => {
    expect(suggest(input, SENSE_KEYS)).toBe(expected);
  });

  it.each(["colour", "x", "period", "groups-of-things"])("suggests nothing for %s", (input) => {
    expect(suggest(input, SENSE_KEYS)).toBeNull();
  });

  it("tolerates only one typo in a short key", () => {
    expect(suggest("om", ["on"])).toBe("on");
    expect(suggest("xy", ["on"])).toBeNull();
  });

  it("picks the closest of several close candidates", () => {
    expect(suggest("cpu-usagee", ["cpu-usage", "cpu-usages2"])).toBe("cpu-usage");
  });
});

describe(toSnakeCase.name, () => {
  it.each([
    ["maxQueue", "max_queue"],
    ["max-queue", "max_queue"],
    ["Max Queue", "max_queue"],
    ["max_queue", "max_queue"],
  ])("turns %s into %s", (input, expected) => {
    expect(toSnakeCase(input)).toBe(expected);
  });
});
