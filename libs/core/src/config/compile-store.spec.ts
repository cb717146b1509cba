import { describe, expect, it } from "vitest";

import { workspaceWith, yamlLines } from "./__fixtures__/workspace.js";
import { compileConfig } from "./compile-config.js";
import { parseSize } from "./size.js";

const DAY = 86_400_000;

function compile(...lines: string[]) {
  return compileConfig(yamlLines(...lines), workspaceWith());
}

describe("compileConfig store", () => {
  it("applies the defaults where nerve.yaml is silent", () => {
    expect(compile("max_rounds: 3").config?.store).toEqual({
      archiveAfterMs: 7 * DAY,
      deleteArchiveAfterMs: null,
      maxSizeBytes: null,
    });
  });

  it("reads durations and sizes", () => {
    const report = compile(
      "store:",
      "  archive_after: 2d",
      "  delete_archive_after: 90d",
      "  max_size: 2GiB",
    );
    expect(report.errors).toEqual([]);
    expect(report.config?.store).toEqual({
      archiveAfterMs: 2 * DAY,
      deleteArchiveAfterMs: 90 * DAY,
      maxSizeBytes: 2 * 1024 ** 3,
    });
  });

  it("names each bad value at its line, with what was expected", () => {
    const report = compile(
      "store:",
      "  archive_after: 7",
      "  max_size: lots",
      "  keep_forever: true",
    );
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "store.archive_after",
          line: 2,
          message: expect.stringMatching(/expected a duration such as 7s/),
        }),
        expect.objectContaining({
          path: "store.max_size",
          line: 3,
          message: expect.stringMatching(/expected a size such as 500MiB or 2GiB, got "lots"/),
        }),
        expect.objectContaining({
          path: "store.keep_forever",
          line: 4,
        }),
      ]),
    );
  });

  it("suggests the key meant for a misspelt one", () => {
    const report = compile("store:", "  archive_afer: 7d");
    expect(report.errors[0].message).toMatch(/did you mean "archive_after"/);
  });

  it("rejects a size without unit and a zero size", () => {
    expect(compile("store:", "  max_size: 1024").errors[0].message).toMatch(/needs a unit/);
    expect(compile("store:", "  max_size: 0MiB").errors[0].message).toMatch(/greater than 0/);
  });

  it("warns when archived days would be deleted as soon as they are archived", () => {
    const report = compile("store:", "  archive_after: 30d", "  delete_archive_after: 7d");
    expect(report.ok).toBe(true);
    expect(report.warnings[0]).toMatchObject({
      path: "store.delete_archive_after",
      line: 3,
      message: expect.stringMatching(/not longer than archive_after/),
    });
  });
});

describe(parseSize.name, () => {
  it.each([
    ["4096B", 4096],
    ["10KiB", 10_240],
    ["512MiB", 512 * 1024 ** 2],
    ["1GB", 1e9],
    ["2gib", 2 * 1024 ** 3],
  ])("reads %s", (text, bytes) => {
    expect(parseSize(text)).toEqual({ ok: true, value: bytes });
  });

  it.each(["", "1.5GiB", "12", "GiB", "3 parsecs"])("rejects %j", (text) => {
    expect(parseSize(text).ok).toBe(false);
  });
});
