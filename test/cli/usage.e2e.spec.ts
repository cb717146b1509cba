import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";

// Exit codes (0 success, 1 failure, 2 usage, 3 no daemon), close-match suggestions at every
// level of the command tree, and the examples under every command's --help.

let root: string;
let cleanup: () => void;

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir("nerve-usage-"));
  const init = await nerve(["init", root]);
  expect(init.code, init.stderr).toBe(0);
});
afterAll(() => cleanup());

const cli = (args: string[]) => nerve([...args, "--root", root]);

describe("usage errors (exit 2)", () => {
  it.each([
    [["valdate"], /unknown command 'valdate'[\s\S]*did you mean validate\?/i],
    [["workflow", "lst"], /unknown command 'lst'[\s\S]*did you mean list\?/i],
    [["daemon", "statu"], /unknown command 'statu'[\s\S]*did you mean status\?/i],
    [["sense", "qurey", "x"], /unknown command 'qurey'[\s\S]*did you mean query\?/i],
    [["workflow", "list", "--al"], /unknown option '--al'[\s\S]*did you mean --all\?/i],
    [["sense", "list", "--jsn"], /unknown option '--jsn'[\s\S]*did you mean --json\?/i],
    [["store", "archive", "--older-thn", "1d"], /did you mean --older-than\?/i],
  ])("nerve %j suggests the close match and exits 2", async (args, message) => {
    const run = await nerve(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });

  it.each([
    [["sense", "run"], /missing required argument 'name'/],
    [["completion"], /missing required argument 'shell'/],
    [["completion", "fish"], /expected a shell, one of bash, zsh; got "fish"/],
    [["workflow", "list", "--limit", "0"], /--limit: expected a whole number >= 1, got "0"/],
    [["logs", "-n", "many"], /-n: expected a whole number of lines, got "many"/],
    [["store", "archive", "--older-than", "soon"], /--older-than: /],
  ])("nerve %j says what is wrong and exits 2", async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
  });
});

describe("failures (exit 1)", () => {
  it("gives a one-line reason and no stack trace", async () => {
    const run = await cli(["sense", "query", "no-such-sense"]);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^nerve: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("adds the stack trace with NERVE_DEBUG=1", async () => {
    const run = await nerve(["sense", "query", "no-such-sense", "--root", root], {
      env: { NERVE_DEBUG: "1" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });

  it("exits 1 for a workspace that is not one", async () => {
    const { dir, cleanup: remove } = tempDir();
    try {
      const run = await nerve(["validate", "--root", dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/has no nerve\.yaml; create a workspace with `nerve init/);
    } finally {
      remove();
    }
  });

  it("exits 1 when nerve.yaml is invalid, listing the problems", async () => {
    const { dir, cleanup: remove } = tempDir();
    try {
      writeFileSync(join(dir, "nerve.yaml"), "senses:\n  cpu:\n    throttle: fast\n");
      const run = await nerve(["validate", "--root", dir]);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/senses\.cpu\.throttle/);
    } finally {
      remove();
    }
  });
});

describe("the daemon is needed (exit 3)", () => {
  it.each([
    [["status"]],
    [["sense", "trigger", "load-average"]],
    [["workflow", "trigger", "investigate"]],
  ])("nerve %j without a daemon says how to start one and exits 3", async (args) => {
    const run = await cli(args);
    expect(run.code).toBe(3);
    expect(`${run.stdout}${run.stderr}`).toMatch(/nerve daemon start/);
  });

  it("prints { running: false } for status --json", async () => {
    const run = await cli(["status", "--json"]);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toEqual({ running: false });
  });
});

describe("help", () => {
  /** Every visible command path, read from the CLI's own completion of each level. */
  async function commandPaths(prefix: string[] = []): Promise<string[][]> {
    const run = await nerve(["__complete", "--", ...prefix, ""]);
    const names = run.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("\t")[0]);
    const nested = await Promise.all(names.map((name) => commandPaths([...prefix, name])));
    return names.flatMap((name, i) => [[...prefix, name], ...nested[i]]);
  }

  it("shows examples under every command's --help, and exits 0", async () => {
    const paths = await commandPaths();
    expect(paths.map((path) => path.join(" "))).toEqual(
      expect.arrayContaining(["init", "status", "sense query", "workflow thread", "completion"]),
    );
    for (const path of paths) {
      const run = await nerve([...path, "--help"]);
      expect(run.code, path.join(" ")).toBe(0);
      expect(run.stdout, path.join(" ")).toMatch(/\nExamples:\n {2}\S/);
    }
    // One CLI start per command: the list grows with the commands, on a loaded machine too.
  }, 90_000);

  it("lists the commands, the common options and the exit codes under nerve --help", async () => {
    const run = await nerve(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+workflow\s/m);
    expect(run.stdout).toContain("Exit codes: 0 success, 1 failure, 2 usage error, 3");
    expect(run.stdout).not.toContain("__complete");
  });

  it("prints a group's help when it is given no subcommand", async () => {
    const run = await nerve(["workflow"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+thread \[options\] <runId>/m);
  });
});
