import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";

let dir: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe("nerve (usage)", () => {
  it("prints help listing the commands and exits 0", async () => {
    const run = await nerve(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("init");
    expect(run.stdout).toContain("validate");
  });

  it("suggests the close command for a typo and exits 2", async () => {
    const run = await nerve(["valdate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/did you mean.*validate/i);
  });

  it("suggests the close option for a typo and exits 2", async () => {
    const run = await nerve(["validate", "--jsn"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/did you mean.*--json/i);
  });
});

describe("nerve init", () => {
  it("scaffolds a workspace that validates without errors or warnings", async () => {
    const init = await nerve(["init", dir]);
    expect(init.code).toBe(0);
    for (const file of [
      "nerve.yaml",
      ".gitignore",
      "senses/load-average/compute.ts",
      "senses/load-average/migrations/001_samples.sql",
      "senses/load-watch/compute.ts",
      "workflows/investigate/index.ts",
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toMatch(/^data\/$/m);

    const validate = await nerve(["validate", "--json", "--root", dir]);
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout)).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it("writes nothing into node_modules and points editors at the SDK of this install", async () => {
    await nerve(["init", dir]);
    expect(existsSync(join(dir, "node_modules"))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8"))).toMatchObject({
      extends: "./.nerve/tsconfig.sdk.json",
    });
    const editor = JSON.parse(readFileSync(join(dir, ".nerve", "tsconfig.sdk.json"), "utf8"));
    const ours = realpathSync(createRequire(import.meta.url).resolve("@nerve/core/package.json"));
    expect(realpathSync(editor.compilerOptions.paths["@nerve/core"][0])).toBe(
      join(dirname(ours), "dist", "index.d.ts"),
    );
    expect(editor.compilerOptions.paths["@nerve/daemon"]).toHaveLength(1);
  });

  it("scaffolds code that type-checks against the SDK", async () => {
    await nerve(["init", dir]);
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [tsc, "-p", join(dir, "tsconfig.json")],
        (error, stdout, stderr) => {
          resolve({ code: error ? 1 : 0, out: stdout + stderr });
        },
      );
    });
    expect(result.out).toBe("");
    expect(result.code).toBe(0);
  });

  it("refuses an existing workspace without --force, and rewrites it with --force", async () => {
    await nerve(["init", dir]);
    writeFileSync(join(dir, "nerve.yaml"), "senses: {}\n");
    const again = await nerve(["init", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already a Nerve workspace.*--force/);
    expect(readFileSync(join(dir, "nerve.yaml"), "utf8")).toBe("senses: {}\n");

    const forced = await nerve(["init", dir, "--force"]);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "nerve.yaml"), "utf8")).toContain("load-average");
  });

  it("refuses to overwrite files it would clash with", async () => {
    mkdirSync(join(dir, "senses", "load-watch"), { recursive: true });
    writeFileSync(join(dir, "senses", "load-watch", "compute.ts"), "// mine\n");
    const run = await nerve(["init", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("senses/load-watch/compute.ts");
    expect(readFileSync(join(dir, "senses", "load-watch", "compute.ts"), "utf8")).toBe("// mine\n");
  });

  it("prints what it created as JSON with --json", async () => {
    const run = await nerve(["init", dir, "--json"]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.root).toBe(dir);
    expect(result.files).toContain("nerve.yaml");
  });
});

describe("nerve validate", () => {
  const broken = [
    "max_rounds: 0",
    "senses:",
    "  cpu:",
    "    gracePeriod: 5s",
    "    throttle: fast",
    "reflexes:",
    "  - kind: sense",
    "    sense: cpu",
    "    workflow: cleanup",
    "  - kind: sense",
    "    sense: ghost",
    "    interval: 1m",
    "",
  ].join("\n");

  it("lists every problem with its path, line and column, and exits 1", async () => {
    writeFileSync(join(dir, "nerve.yaml"), broken);
    const run = await nerve(["validate", "--json", "--root", dir]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    const byPath = new Map<string, { line: number | null; col: number | null; message: string }>(
      report.errors.map((e: { path: string }) => [e.path, e]),
    );
    expect(byPath.get("max_rounds")).toMatchObject({ line: 1, col: 13 });
    expect(byPath.get("senses.cpu.gracePeriod")?.message).toMatch(/did you mean "?grace_period/);
    expect(byPath.get("senses.cpu.gracePeriod")).toMatchObject({ line: 4, col: 5 });
    expect(byPath.get("senses.cpu.throttle")).toMatchObject({ line: 5, col: 15 });
    expect(byPath.get("reflexes[0].workflow")?.message).toMatch(/nerve workflow trigger/);
    expect(byPath.get("reflexes[1].sense")?.message).toMatch(/ghost/);
    expect(report.errors.some((e: { message: string }) => /compute\.ts/.test(e.message))).toBe(
      true,
    );
    expect(report.errors.length).toBeGreaterThanOrEqual(6);
  });

  it("prints each problem as file:line:col on a terminal-style run", async () => {
    writeFileSync(join(dir, "nerve.yaml"), broken);
    const run = await nerve(["validate", "--root", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^error nerve\.yaml:5:15 senses\.cpu\.throttle: /m);
  });

  it("reports a YAML syntax error with its position instead of crashing", async () => {
    writeFileSync(join(dir, "nerve.yaml"), "senses:\n  cpu: [unclosed\n");
    const run = await nerve(["validate", "--json", "--root", dir]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.errors[0].line).toBeGreaterThan(0);
    expect(run.stderr).toBe("");
  });

  it("finds the workspace from a nested folder, and from NERVE_ROOT", async () => {
    await nerve(["init", dir]);
    const nested = join(dir, "senses", "load-average");
    expect((await nerve(["validate", "--json"], { cwd: nested })).code).toBe(0);
    const viaEnv = await nerve(["validate", "--json"], { env: { NERVE_ROOT: dir } });
    expect(viaEnv.code).toBe(0);
  });

  it("fails with a one-line reason and no stack when there is no workspace", async () => {
    const run = await nerve(["validate"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/no nerve\.yaml.*nerve init/);
  });

  it("shows the stack only with NERVE_DEBUG=1", async () => {
    const run = await nerve(["validate"], { cwd: dir, env: { NERVE_DEBUG: "1" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});
