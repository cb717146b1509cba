import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, nerve, tempDir } from "../support/cli.js";

// Shell completion end to end: the scripts `nerve completion` prints, run by a real bash with a
// `nerve` on its PATH, and the `nerve __complete` protocol they call.

let dir: string;
let cleanup: () => void;
let root: string;
let bin: string;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir("nerve-completion-"));
  root = join(dir, "ws");
  const init = await nerve(["init", root]);
  expect(init.code, init.stderr).toBe(0);
  mkdirSync(join(root, "sub"), { recursive: true });
  // The scripts call `nerve` by name, as an installed CLI is called.
  bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "nerve"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, "nerve"), 0o755);
});
afterAll(() => cleanup());

function hasShell(shell: string): boolean {
  try {
    execFileSync(shell, ["-c", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** What bash offers for the command line `words` (the last word is being completed), in `cwd`. */
function bashComplete(words: string[], cwd = root): Promise<string[]> {
  const quoted = words.map((w) => `'${w}'`).join(" ");
  const script = [
    "source <(nerve completion bash)",
    `COMP_WORDS=(nerve ${quoted})`,
    `COMP_CWORD=${words.length}`,
    "_nerve_complete",
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join("\n");
  return new Promise((resolve, reject) => {
    execFile(
      "bash",
      ["-c", script],
      { cwd, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NERVE_ROOT: "" } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`bash failed: ${stderr}`));
        else resolve(stdout.split("\n").filter(Boolean));
      },
    );
  });
}

describe("nerve completion bash", () => {
  it("prints a script that bash accepts and that registers a completion for nerve", async () => {
    const run = await nerve(["completion", "bash"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("complete -F _nerve_complete nerve");
    execFileSync("bash", ["-n"], { input: run.stdout });
  });

  it("completes commands and subcommands", async () => {
    expect(await bashComplete(["wor"])).toEqual(["workflow"]);
    expect(await bashComplete(["workflow", ""])).toEqual(["list", "inspect", "thread", "trigger"]);
    expect(await bashComplete(["sense", "s"])).toEqual(["schema"]);
  });

  it("completes options, without the hidden commands", async () => {
    expect(await bashComplete(["workflow", "list", "--w"])).toEqual(["--workflow"]);
    expect(await bashComplete(["__"])).toEqual([]);
  });

  it("completes sense and workflow names from the workspace's nerve.yaml", async () => {
    expect(await bashComplete(["sense", "run", ""], join(root, "sub"))).toEqual([
      "load-average",
      "load-watch",
    ]);
    expect(await bashComplete(["workflow", "trigger", "inv"])).toEqual(["investigate"]);
    expect(await bashComplete(["workflow", "list", "--workflow", ""])).toEqual(["investigate"]);
  });

  it("reads the names from the workspace --root names on the line", async () => {
    expect(await bashComplete(["sense", "query", "--root", root, "load-a"], dir)).toEqual([
      "load-average",
    ]);
  });

  it("completes folder names for --root", async () => {
    expect((await bashComplete(["status", "--root", "s"])).sort()).toEqual(["senses", "sub"]);
  });
});

describe("nerve completion zsh", () => {
  it("prints a script that defines and registers the _nerve completion function", async () => {
    const run = await nerve(["completion", "zsh"]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith("#compdef nerve\n")).toBe(true);
    expect(run.stdout).toContain('nerve __complete -- "${(@)words[2,CURRENT]}"');
    expect(run.stdout).toContain("compdef _nerve nerve");
  });

  it.skipIf(!hasShell("zsh"))("prints a script that zsh accepts", async () => {
    const run = await nerve(["completion", "zsh"]);
    execFileSync("zsh", ["-n"], { input: run.stdout });
  });
});

describe("nerve __complete", () => {
  it("prints each candidate with its description after a tab", async () => {
    const run = await nerve(["__complete", "--", "sense", ""]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("query\tread-only SQL on a sense's database");
  });

  it("prints :dirs where a folder name goes", async () => {
    const run = await nerve(["__complete", "--", "workflow", "list", "--root", ""]);
    expect(run.stdout).toBe(":dirs\n");
  });

  it("treats words that look like options as words, help included", async () => {
    const run = await nerve(["__complete", "--", "status", "--help", "--js"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("--json\tprint machine-readable JSON on stdout\n");
  });

  it("offers nothing, and does not fail, outside a workspace", async () => {
    const run = await nerve(["__complete", "--", "sense", "run", ""], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
  });
});
