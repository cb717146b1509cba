import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";

// `nerve test` on real workspaces: Vitest, from Nerve's own dependencies, runs their
// tests/*.test.ts with @nerve/testing. This is where CI runs the quickstart's tests.

const QUICKSTART = fileURLToPath(new URL("../../examples/quickstart", import.meta.url));
const RUNTIME = new Set(["data", "logs", "node_modules", ".nerve", "nerve.pid", "nerve.sock"]);

describe("nerve test", () => {
  let dir: string;
  let cleanup: () => void;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir("nerve-test-command-"));
  });

  afterEach(() => cleanup());

  it("runs the quickstart's tests and prints Vitest's summary", async () => {
    const root = join(dir, "quickstart");
    cpSync(QUICKSTART, root, {
      recursive: true,
      filter: (source) => source === QUICKSTART || !RUNTIME.has(basename(source)),
    });

    const run = await nerve(["test", "--root", root]);

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/tests\/watchdog\.test\.ts/);
    expect(run.stdout).toMatch(/tests\/checkup\.test\.ts/);
    expect(run.stdout).toMatch(/Tests\s+5 passed \(5\)/);
  }, 180_000);

  it("passes on the example a fresh `nerve init` scaffolds, with no node_modules", async () => {
    const root = join(dir, "ws");
    expect((await nerve(["init", root])).code).toBe(0);

    const run = await nerve(["test"], { cwd: root });

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Tests\s+3 passed \(3\)/);
  }, 180_000);

  it("exits 1 and names the test when one fails; runs only the files a filter names", async () => {
    const root = join(dir, "ws");
    mkdirSync(join(root, "tests"), { recursive: true });
    writeFileSync(join(root, "nerve.yaml"), "senses:\n  one: {}\n");
    mkdirSync(join(root, "senses/one"), { recursive: true });
    writeFileSync(
      join(root, "senses/one/compute.ts"),
      "export const compute = () => ({ n: 1 });\n",
    );
    writeFileSync(
      join(root, "tests/one.test.ts"),
      [
        'import { createTestWorkspace } from "@nerve/testing";',
        'import { expect, it } from "vitest";',
        'it("one signals n = 2", async () => {',
        '  const ws = await createTestWorkspace({ root: "." });',
        "  try {",
        '    ws.trigger("one");',
        "    await ws.idle();",
        '    expect(ws.signals("one").map((s) => s.payload)).toEqual([{ n: 2 }]);',
        "  } finally {",
        "    await ws.close();",
        "  }",
        "});",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(root, "tests/other.test.ts"),
      'import { it } from "vitest";\nit("passes", () => {});\n',
    );

    const failed = await nerve(["test", "--root", root]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/one signals n = 2/);
    expect(failed.stdout).toMatch(/Tests\s+1 failed \| 1 passed \(2\)/);

    const filtered = await nerve(["test", "other", "--root", root]);
    expect(filtered.code, filtered.stdout).toBe(0);
    expect(filtered.stdout).toMatch(/Tests\s+1 passed \(1\)/);
  }, 180_000);

  it("says where tests go when the workspace has none", async () => {
    writeFileSync(join(dir, "nerve.yaml"), "senses: {}\n");

    const run = await nerve(["test", "--root", dir]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /no tests in .*tests \(expected files matching tests\/\*\*\/\*\.test\.ts\)/,
    );
  });
});
