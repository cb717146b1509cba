import { existsSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectOk, FixtureWorkspace } from "./__fixtures__/workspace.js";
import { resolveSdkSpecifier } from "../sdk/sdk-packages.js";
import { SenseCompileError } from "./errors/sense-compile.error.js";
import { SenseCompiler, WORKER_BUNDLE } from "./sense-compiler.js";
import { senseWorkerFile } from "./worker-file.js";

describe(SenseCompiler.name, () => {
  let workspace: FixtureWorkspace;
  let compiler: SenseCompiler;
  const compilers: SenseCompiler[] = [];

  beforeEach(() => {
    workspace = new FixtureWorkspace();
    compiler = new SenseCompiler({ root: workspace.root });
    compilers.push(compiler);
  });
  afterEach(() => workspace.cleanup());
  afterAll(async () => {
    await compilers[0]?.onApplicationShutdown();
  });

  describe("compiling", () => {
    it("writes one ES module under .nerve/build/senses/<name>/ that exports compute", async () => {
      workspace.addSense("value");
      const build = expectOk(await compiler.compile(workspace.sense("value")));
      expect(build.module).toBe(join(workspace.root, ".nerve/build/senses/value/compute.mjs"));
      expect(build.cached).toBe(false);
      const module = (await import(pathToFileURL(build.module).href)) as {
        compute: (ctx: unknown) => unknown;
      };
      expect(module.compute({ name: "value", trigger: { kind: "manual", signals: [] } })).toEqual({
        pct: 42,
        sense: "value",
        trigger: "manual",
        signals: 0,
      });
    });

    it("bundles relative imports, imports the SDK from this install and keeps packages as imports", async () => {
      workspace.addSense("with-helper");
      workspace.write(
        "node_modules/tiny-dep/package.json",
        '{ "name": "tiny-dep", "main": "index.js" }',
      );
      workspace.write("node_modules/tiny-dep/index.js", "exports.one = 1;\n");
      workspace.write(
        "senses/with-helper/compute.ts",
        'import { double } from "./helper.js";\nimport Database from "better-sqlite3";\n' +
          'import { one } from "tiny-dep";\n' +
          "export function compute() { return { value: double(21) + one, db: typeof Database }; }\n",
      );
      const build = expectOk(await compiler.compile(workspace.sense("with-helper")));
      const text = readFileSync(build.module, "utf8");
      expect(text).toContain("n * 2");
      expect(text).toContain(`from ${JSON.stringify(resolveSdkSpecifier("better-sqlite3"))}`);
      expect(text).toMatch(/from "tiny-dep"/);
      expect(text).toContain("sourceMappingURL=data:application/json");
    });

    it("accepts compute.js and compute.mts", async () => {
      workspace.write("senses/plain/compute.js", "export default () => ({ js: true });\n");
      workspace.write("senses/typed/compute.mts", "export const compute = (): number => 1;\n");
      expect(
        (
          await compiler.compile(
            workspace.sense("plain", { computeFile: "senses/plain/compute.js" }),
          )
        ).ok,
      ).toBe(true);
      expect(
        (
          await compiler.compile(
            workspace.sense("typed", { computeFile: "senses/typed/compute.mts" }),
          )
        ).ok,
      ).toBe(true);
    });
  });

  describe("errors", () => {
    it("reports a syntax error with file, line and column, and writes nothing", async () => {
      workspace.write(
        "senses/broken/compute.ts",
        "export function compute() {\n  return { a: 1 ;\n}\n",
      );
      const build = await compiler.compile(workspace.sense("broken"));
      expect(build.ok).toBe(false);
      if (build.ok) return;
      expect(build.error).toBeInstanceOf(SenseCompileError);
      expect(build.error.file).toBe("senses/broken/compute.ts");
      expect(build.error.line).toBe(2);
      expect(build.error.col).toBe(17);
      expect(build.error.message).toMatch(
        /^sense broken does not compile: senses\/broken\/compute\.ts:2:17: Expected "}" but found ";"/,
      );
      expect(existsSync(join(workspace.root, ".nerve/build/senses/broken/compute.mjs"))).toBe(
        false,
      );
    });

    it("names the imported file when the error is in a relative import", async () => {
      workspace.write("senses/deep/compute.ts", 'export { compute } from "./lib.js";\n');
      workspace.write("senses/deep/lib.ts", "export const compute = () => {\n");
      const build = await compiler.compile(workspace.sense("deep"));
      expect(build.ok ? null : build.error.file).toBe("senses/deep/lib.ts");
    });

    it("reports a missing relative import", async () => {
      workspace.write("senses/lost/compute.ts", 'export { compute } from "./nowhere.js";\n');
      const build = await compiler.compile(workspace.sense("lost"));
      expect(build.ok ? null : build.error.message).toMatch(/Could not resolve "\.\/nowhere\.js"/);
    });

    it("fails a sense that has no compute file", async () => {
      const build = await compiler.compile(workspace.sense("ghost", { computeFile: null }));
      expect(build.ok ? null : build.error.message).toBe(
        "sense ghost does not compile: it has no compute file",
      );
    });
  });

  describe("cache", () => {
    it("reuses the output while no input changed, also in a new compiler", async () => {
      workspace.addSense("with-helper");
      const sense = workspace.sense("with-helper");
      expect(expectOk(await compiler.compile(sense)).cached).toBe(false);
      expect(expectOk(await compiler.compile(sense)).cached).toBe(true);
      const restarted = new SenseCompiler({ root: workspace.root });
      expect(expectOk(await restarted.compile(sense)).cached).toBe(true);
    });

    it("recompiles when an imported file changes", async () => {
      workspace.addSense("with-helper");
      const sense = workspace.sense("with-helper");
      await compiler.compile(sense);
      workspace.write(
        "senses/with-helper/helper.ts",
        "export const double = (n: number) => n * 3;\n",
      );
      const later = new Date(Date.now() + 5_000);
      utimesSync(join(workspace.root, "senses/with-helper/helper.ts"), later, later);
      const build = expectOk(await compiler.compile(sense));
      expect(build.cached).toBe(false);
      expect(readFileSync(build.module, "utf8")).toContain("n * 3");
    });

    it("recompiles when forced", async () => {
      workspace.addSense("value");
      const sense = workspace.sense("value");
      await compiler.compile(sense);
      expect(expectOk(await compiler.compile(sense, { force: true })).cached).toBe(false);
    });

    it("shares one build between calls made while it runs", async () => {
      workspace.addSense("value");
      const sense = workspace.sense("value");
      const [a, b] = [compiler.compile(sense), compiler.compile(sense)];
      expect(a).toBe(b);
      await a;
    });
  });

  describe("worker bundle", () => {
    it("bundles the worker into one file that imports only node built-ins and native packages", async () => {
      const { file, cached } = await compiler.bundleWorker(senseWorkerFile());
      expect(file).toBe(join(workspace.root, WORKER_BUNDLE));
      expect(cached).toBe(false);
      const imports = [...readFileSync(file, "utf8").matchAll(/^import .* from "([^"]+)";$/gm)].map(
        (match) => match[1],
      );
      const packages = new Set(imports.filter((specifier) => !specifier.startsWith("node:")));
      expect([...packages]).toEqual([
        expect.stringMatching(/^\/.*\/node_modules\/better-sqlite3\/lib\/index\.js$/),
      ]);
      expect((await compiler.bundleWorker(senseWorkerFile())).cached).toBe(true);
    });
  });
});
