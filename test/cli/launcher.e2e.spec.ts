import { execFile } from "node:child_process";
import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nerve, tempDir } from "../support/cli.js";

// How the built CLI starts: from the bundle with a V8 code cache, or from the compiled modules.

const CODE_CACHE = fileURLToPath(
  new URL("../../apps/cli/dist/launch/code-cache.js", import.meta.url),
);

describe("the built CLI", () => {
  it("runs from the bundle, and from the modules with NERVE_CLI_BUNDLE=0", async () => {
    const args = ["sense", "query", "x", "--root", "/nonexistent"];
    const bundled = await nerve(args, { env: { NERVE_DEBUG: "1" } });
    const modules = await nerve(args, { env: { NERVE_DEBUG: "1", NERVE_CLI_BUNDLE: "0" } });
    expect(bundled.stderr).toContain("dist/bundle/nerve.cjs");
    expect(modules.stderr).not.toContain("dist/bundle/nerve.cjs");
    expect(modules.stderr.split("\n")[0]).toBe(bundled.stderr.split("\n")[0]);
  });

  it("has the same commands both ways", async () => {
    const bundled = await nerve(["__docs"]);
    const modules = await nerve(["__docs"], { env: { NERVE_CLI_BUNDLE: "0" } });
    expect(bundled.code).toBe(0);
    expect(modules.stdout).toBe(bundled.stdout);
  });
});

describe("runCommonJsFile", () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir("nerve-code-cache-"));
    file = join(dir, "program.cjs");
    writeFileSync(file, "exports.answer = require('node:path').basename(__filename) + ':' + 42;\n");
  });
  afterEach(() => cleanup());

  /** Runs the file through the code-cache loader in a fresh process; resolves with its output. */
  function run(): Promise<string> {
    const script = `import(${JSON.stringify(CODE_CACHE)}).then((m) => console.log(m.runCommonJsFile(${JSON.stringify(file)}).answer))`;
    return new Promise((resolve, reject) => {
      execFile(process.execPath, ["-e", script], (error, stdout, stderr) => {
        if (error) reject(new Error(stderr));
        else resolve(stdout.trim());
      });
    });
  }

  function stampLine(): string {
    const cache = readFileSync(`${file}.cache`);
    return cache.subarray(0, cache.indexOf(0x0a)).toString("latin1");
  }

  it("runs the file with CommonJS globals and writes a cache stamped with its size and time", async () => {
    expect(await run()).toBe("program.cjs:42");
    const stat = statSync(file);
    expect(stampLine()).toBe(`${stat.size}:${stat.mtimeMs}`);
    expect(await run()).toBe("program.cjs:42");
  });

  it("never uses the cache of an older version of the file", async () => {
    await run();
    writeFileSync(file, "exports.answer = 'changed';\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(await run()).toBe("changed");
    const stat = statSync(file);
    expect(stampLine()).toBe(`${stat.size}:${stat.mtimeMs}`);
  });

  it("runs correctly from a damaged cache and writes a good one", async () => {
    await run();
    const stamp = stampLine();
    writeFileSync(`${file}.cache`, Buffer.concat([Buffer.from(`${stamp}\n`), Buffer.alloc(64, 7)]));
    expect(await run()).toBe("program.cjs:42");
    expect(statSync(`${file}.cache`).size).toBeGreaterThan(stamp.length + 65);
  });
});
