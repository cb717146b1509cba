import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, nerve, tempDir } from "../support/cli.js";
import { waitFor } from "../support/workspace.js";

let root: string;
let cleanup: () => void;
let log: string;

beforeEach(async () => {
  ({ dir: root, cleanup } = tempDir("nerve-logs-"));
  expect((await nerve(["init", root])).code).toBe(0);
  mkdirSync(join(root, "logs"));
  log = join(root, "logs", "nerve.log");
  writeFileSync(log, "line 1\nline 2\nline 3\n");
});
afterEach(() => cleanup());

describe("nerve logs", () => {
  it("prints the last lines of the daemon's log", async () => {
    const run = await nerve(["logs", "-n", "2", "--root", root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("line 2\nline 3\n");
  });

  it("follows the log across a rotation with -f, until Ctrl+C", async () => {
    const child = spawn(process.execPath, [CLI, "logs", "-n", "1", "-f", "--root", root], {
      env: { ...process.env, NO_COLOR: "1" },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      await waitFor(() => out === "line 3\n", "the tail");
      appendFileSync(log, "line 4\n");
      await waitFor(() => out.includes("line 4\n"), "the appended line");
      // The daemon's rotating stream renames the full file and starts a new one.
      appendFileSync(log, "line 5\n");
      renameSync(log, `${log}.1`);
      writeFileSync(log, "line 6\n");
      await waitFor(() => out.includes("line 6\n"), "the first line of the new file");
      appendFileSync(log, "line 7\n");
      await waitFor(() => out.includes("line 7\n"), "a line appended to the new file");
      expect(out).toBe("line 3\nline 4\nline 5\nline 6\nline 7\n");
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
  });
});
