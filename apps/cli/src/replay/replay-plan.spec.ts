import type { CompiledConfig, CompiledReflex } from "@nerve/core";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { UsageError } from "../common/cli-errors.js";
import { replayConfigText, sensesUnderTest } from "./replay-plan.js";

function config(
  senses: string[],
  reflexes: Pick<CompiledReflex, "sense" | "on">[],
): CompiledConfig {
  return {
    senses: senses.map((name) => ({ name })),
    reflexes: reflexes.map((r, index) => ({ kind: "sense", intervalMs: null, index, ...r })),
  } as unknown as CompiledConfig;
}

/** vitals ← watchdog ← pager; disk on its own. */
const QUICK = config(
  ["vitals", "watchdog", "pager", "disk"],
  [
    { sense: "watchdog", on: ["vitals"] },
    { sense: "pager", on: ["watchdog"] },
    { sense: "disk", on: [] },
  ],
);

describe(sensesUnderTest.name, () => {
  it("takes by default the senses listening to the span's signals, and those downstream", () => {
    expect(sensesUnderTest(QUICK, new Set(["vitals"]))).toEqual(["pager", "watchdog"]);
  });

  it("takes the senses named and those downstream of them", () => {
    expect(sensesUnderTest(QUICK, new Set(["vitals", "disk"]), ["watchdog"])).toEqual([
      "pager",
      "watchdog",
    ]);
    expect(sensesUnderTest(QUICK, new Set(["vitals"]), ["pager"])).toEqual(["pager"]);
  });

  it("refuses a sense not in nerve.yaml, listing the declared ones", () => {
    expect(() => sensesUnderTest(QUICK, new Set(["vitals"]), ["watchdgo"])).toThrow(
      new UsageError(
        "--sense: watchdgo is not a sense of nerve.yaml (declared: vitals, watchdog, pager, disk)",
      ),
    );
  });

  it("refuses a span whose signals no sense listens to", () => {
    expect(() => sensesUnderTest(QUICK, new Set(["disk"]))).toThrow(
      /no sense listens to the signals of the span \(disk\); name the senses to replay with --sense/,
    );
  });
});

describe(replayConfigText.name, () => {
  const yaml = [
    "# the quickstart",
    "senses:",
    "  vitals: { group: system }",
    "  watchdog: { group: system }",
    "reflexes:",
    "  - kind: sense",
    "    sense: vitals",
    "    interval: 2s",
    "  - kind: sense # decides",
    "    sense: watchdog",
    "    on: [vitals]",
    "federation:",
    "  servers: [nats://h:4222]",
    "  node: a",
    "dashboard: { port: 7070 }",
    "",
  ].join("\n");

  it("keeps only the reflexes of the senses under test, and drops federation and dashboard", () => {
    const text = replayConfigText(yaml, ["watchdog"]);
    expect(parse(text)).toEqual({
      senses: { vitals: { group: "system" }, watchdog: { group: "system" } },
      reflexes: [{ kind: "sense", sense: "watchdog", on: ["vitals"] }],
    });
    expect(text).toContain("# the quickstart");
  });
});
