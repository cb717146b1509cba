import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workspaceNames } from "./workspace-names.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nerve-names-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function workspace(name: string, yaml: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, "sub"), { recursive: true });
  writeFileSync(join(root, "nerve.yaml"), yaml);
  return root;
}

const YAML = `
senses:
  watchdog: { group: system }
  vitals: {}
workflows:
  checkup: { concurrency: 1 }
`;

describe(workspaceNames.name, () => {
  it("reads the names declared in the nearest nerve.yaml above the current folder, sorted", () => {
    const root = workspace("ws", YAML);
    const cwd = join(root, "sub");
    expect(workspaceNames("sense", [""], {}, cwd)).toEqual(["vitals", "watchdog"]);
    expect(workspaceNames("workflow", [""], {}, cwd)).toEqual(["checkup"]);
  });

  it("prefers --root on the line being completed over NERVE_ROOT and the current folder", () => {
    const other = workspace("other", "senses:\n  from-root: {}\n");
    const env = { NERVE_ROOT: workspace("env", "senses:\n  from-env: {}\n") };
    expect(workspaceNames("sense", ["sense", "run", "--root", other, ""], env, dir)).toEqual([
      "from-root",
    ]);
    expect(workspaceNames("sense", ["sense", "run", `--root=${other}`, ""], env, dir)).toEqual([
      "from-root",
    ]);
    expect(workspaceNames("sense", ["sense", "run", ""], env, dir)).toEqual(["from-env"]);
  });

  it("offers nothing for a broken file, a missing section or no workspace at all", () => {
    const broken = workspace("broken", "senses: [unclosed\n");
    expect(workspaceNames("sense", [""], {}, broken)).toEqual([]);
    const empty = workspace("empty", "max_rounds: 3\n");
    expect(workspaceNames("workflow", [""], {}, empty)).toEqual([]);
    expect(workspaceNames("sense", ["--root", join(dir, "missing"), ""], {}, dir)).toEqual([]);
  });
});
