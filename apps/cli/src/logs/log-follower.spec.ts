import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tailLines } from "./log-files.js";
import { LogFollower } from "./log-follower.js";

let dir: string;
let file: string;
let lines: string[];
let follower: LogFollower;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nerve-follow-"));
  file = join(dir, "nerve.log");
  lines = [];
  follower = new LogFollower(file, (line) => lines.push(line));
});
afterEach(() => {
  follower.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until the follower has printed `count` lines (it polls the file a few times a second). */
async function received(count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  while (lines.length < count) {
    if (Date.now() > deadline) throw new Error(`got ${JSON.stringify(lines)}, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return lines;
}

describe(LogFollower.name, () => {
  it("prints lines appended after it started, not those already there", async () => {
    writeFileSync(file, "old 1\nold 2\n");
    follower.start();
    appendFileSync(file, "new 1\nnew 2\n");
    expect(await received(2)).toEqual(["new 1", "new 2"]);
  });

  it("returns where it started, so a tail of what came before shows no appended line twice", async () => {
    writeFileSync(file, "old 1\nold 2\n");
    const start = follower.start();
    appendFileSync(file, "new 1\n");
    expect(tailLines(file, 5, start)).toEqual(["old 1", "old 2"]);
    expect(await received(1)).toEqual(["new 1"]);
  });

  it("holds a partial line back until its newline arrives", async () => {
    writeFileSync(file, "");
    follower.start();
    appendFileSync(file, "half");
    appendFileSync(file, " and half\nnext\n");
    expect(await received(2)).toEqual(["half and half", "next"]);
  });

  it("follows a rotation by rename: the rest of the old file, then the new file from its start", async () => {
    writeFileSync(file, "before start\n");
    follower.start();
    appendFileSync(file, "one\n");
    await received(1);
    // What the daemon wrote just before rotating must not be lost…
    appendFileSync(file, "two\n");
    renameSync(file, `${file}.1`);
    // …nor what it wrote to the new file before the follower noticed.
    writeFileSync(file, "three\nfour\n");
    expect(await received(4)).toEqual(["one", "two", "three", "four"]);
    appendFileSync(file, "five\n");
    expect(await received(5)).toEqual(["one", "two", "three", "four", "five"]);
  });

  it("starts reading a file created after it started, from its start", async () => {
    follower.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    writeFileSync(file, "first\n");
    expect(await received(1)).toEqual(["first"]);
  });

  it("starts over when the file is truncated in place", async () => {
    writeFileSync(file, "a long first line that makes the file big\n");
    follower.start();
    writeFileSync(file, "short\n");
    expect(await received(1)).toEqual(["short"]);
  });
});
