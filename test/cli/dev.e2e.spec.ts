import { spawn } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CLI, nerve, tempDir } from "../support/cli.js";
import { waitFor } from "../support/workspace.js";

let root: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ dir: root, cleanup } = tempDir("nerve-dev-"));
  expect((await nerve(["init", root])).code).toBe(0);
});
afterEach(() => cleanup());

describe("nerve dev", () => {
  it("runs the daemon in the foreground with its log on the terminal, until Ctrl+C", async () => {
    const child = spawn(process.execPath, [CLI, "dev", "--root", root], {
      env: { ...process.env, NO_COLOR: "1", NERVE_ROOT: "" },
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      await waitFor(() => out.includes("daemon running"), "the daemon to run", 30_000);
      const status = await nerve(["status", "--json", "--root", root]);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ pid: child.pid });
      const again = await nerve(["dev", "--root", root]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already running .* stop it first with `nerve stop`/);
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(out).toContain("daemon stopped");
  });
});
