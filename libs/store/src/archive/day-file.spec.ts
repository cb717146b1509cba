import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempRoot } from "../__fixtures__/temp-root.js";
import { ArchiveWriteError } from "../errors/archive.error.js";
import { ensureDurableDir, removeLeftoverTempFiles, writeDayFileDurable } from "./day-file.js";

describe(writeDayFileDurable.name, () => {
  let root: string;
  let cleanup: () => void;
  let dir: string;
  let file: string;

  beforeEach(() => {
    ({ root, cleanup } = tempRoot());
    dir = join(root, "data", "archive", "runs");
    ensureDurableDir(dir);
    file = join(dir, "2026-01-06.jsonl");
  });
  afterEach(() => cleanup());

  it("writes a new file from what the fill writes, with no temp file left", async () => {
    await writeDayFileDurable("2026-01-06", file, async (write) => {
      await write("a\n");
      await write("b\n");
      return false; // a new file is written even when nothing counts as added
    });
    expect(readFileSync(file, "utf8")).toBe("a\nb\n");
    expect(readdirSync(dir)).toEqual(["2026-01-06.jsonl"]);
  });

  it("keeps an existing file as it is when the fill added nothing", async () => {
    writeFileSync(file, "old\n");
    const before = statSync(file).ino;
    await writeDayFileDurable("2026-01-06", file, async (write) => {
      await write("old\n");
      return false;
    });
    expect(statSync(file).ino).toBe(before);
    expect(readdirSync(dir)).toEqual(["2026-01-06.jsonl"]);
  });

  it("replaces an existing file when the fill added to it", async () => {
    writeFileSync(file, "old\n");
    await writeDayFileDurable("2026-01-06", file, async (write) => {
      await write("old\nnew\n");
      return true;
    });
    expect(readFileSync(file, "utf8")).toBe("old\nnew\n");
  });

  it("leaves the old file and no temp file when the fill fails, naming the day and file", async () => {
    writeFileSync(file, "old\n");
    const failing = writeDayFileDurable("2026-01-06", file, async (write) => {
      await write("half");
      throw new Error("disk gone");
    });
    await expect(failing).rejects.toThrow(ArchiveWriteError);
    await expect(failing).rejects.toThrow(/2026-01-06.*2026-01-06\.jsonl.*disk gone/);
    expect(readFileSync(file, "utf8")).toBe("old\n");
    expect(readdirSync(dir)).toEqual(["2026-01-06.jsonl"]);
  });

  it("removes temp files a crash left, and nothing else", () => {
    writeFileSync(file, "kept\n");
    writeFileSync(join(dir, ".2026-01-07.jsonl.123.abcd.tmp"), "partial");
    removeLeftoverTempFiles(dir);
    expect(readdirSync(dir)).toEqual(["2026-01-06.jsonl"]);
  });
});
