import { readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CompiledSense } from "@nerve/core";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BuildManifest } from "../process/build-manifest.js";
import { expectOk, FixtureWorkspace } from "./__fixtures__/workspace.js";
import { SenseCompiler, type SenseBuild } from "./sense-compiler.js";

function errorOf(build: SenseBuild): { message: string; file: string | null } | null {
  return build.ok ? null : { message: build.error.message, file: build.error.file };
}

function manifest(root: string, sense: string): BuildManifest {
  const file = join(root, ".nerve/build/senses", sense, "build.json");
  return JSON.parse(readFileSync(file, "utf8")) as BuildManifest;
}

/** Gives a file a later mtime, so that a build manifest sees it changed. */
function touch(root: string, file: string): void {
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(root, file), later, later);
}

describe(`${SenseCompiler.name}.compileAll`, () => {
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

  /** A sense `name` whose compute returns `value`. */
  function addReturning(name: string, value: number): CompiledSense {
    workspace.write(`senses/${name}/compute.ts`, `export const compute = () => ${value};\n`);
    return workspace.sense(name);
  }

  it("builds each sense into its own module with its own manifest, in the order given", async () => {
    workspace.addSense("value").addSense("with-helper");
    const senses = [workspace.sense("with-helper"), workspace.sense("value"), addReturning("c", 3)];
    const builds = (await compiler.compileAll(senses)).map(expectOk);
    expect(builds.map((build) => [build.sense, build.cached])).toEqual([
      ["with-helper", false],
      ["value", false],
      ["c", false],
    ]);
    expect(builds[2].module).toBe(join(workspace.root, ".nerve/build/senses/c/compute.mjs"));
    const c = (await import(pathToFileURL(builds[2].module).href)) as { compute: () => number };
    expect(c.compute()).toBe(3);
    expect(readFileSync(builds[0].module, "utf8")).toContain("n * 2");
    expect(readFileSync(builds[1].module, "utf8")).not.toContain("n * 2");
    // Each manifest lists the inputs of its own sense only.
    expect(Object.keys(manifest(workspace.root, "with-helper").inputs).sort()).toEqual([
      "senses/with-helper/compute.ts",
      "senses/with-helper/helper.ts",
    ]);
    expect(manifest(workspace.root, "value")).toMatchObject({ entry: "senses/value/compute.ts" });
    expect(Object.keys(manifest(workspace.root, "value").inputs)).toEqual([
      "senses/value/compute.ts",
    ]);
  });

  it("reuses the outputs in a new compiler and rebuilds only the sense whose file changed", async () => {
    workspace.addSense("with-helper");
    const senses = [workspace.sense("with-helper"), addReturning("a", 1), addReturning("b", 2)];
    await compiler.compileAll(senses);
    const restarted = new SenseCompiler({ root: workspace.root });
    const again = (await restarted.compileAll(senses)).map(expectOk);
    expect(again.map((build) => build.cached)).toEqual([true, true, true]);
    workspace.write(
      "senses/with-helper/helper.ts",
      "export const double = (n: number) => n * 3;\n",
    );
    touch(workspace.root, "senses/with-helper/helper.ts");
    const changed = (await restarted.compileAll(senses)).map(expectOk);
    expect(changed.map((build) => build.cached)).toEqual([false, true, true]);
    expect(readFileSync(changed[0].module, "utf8")).toContain("n * 3");
  });

  it("rebuilds the senses it is told to force, and only those", async () => {
    const senses = [addReturning("a", 1), addReturning("b", 2), addReturning("c", 3)];
    await compiler.compileAll(senses);
    const forced = (await compiler.compileAll(senses, { force: ["b"] })).map(expectOk);
    expect(forced.map((build) => build.cached)).toEqual([true, false, true]);
  });

  it("fails a sense that does not compile with the error a build of its own gives; the others build", async () => {
    workspace.write(
      "senses/broken/compute.ts",
      "export function compute() {\n  return { a: 1 ;\n}\n",
    );
    workspace.write("senses/deep/compute.ts", 'export { compute } from "./lib.js";\n');
    workspace.write("senses/deep/lib.ts", "export const compute = () => {\n");
    const senses = [
      addReturning("a", 1),
      workspace.sense("broken"),
      addReturning("b", 2),
      workspace.sense("deep"),
      workspace.sense("ghost", { computeFile: null }),
      addReturning("c", 3),
    ];
    const builds = await compiler.compileAll(senses);
    expect(builds.map((build) => [build.sense, build.ok])).toEqual([
      ["a", true],
      ["broken", false],
      ["b", true],
      ["deep", false],
      ["ghost", false],
      ["c", true],
    ]);
    const alone = new SenseCompiler({ root: workspace.root });
    const brokenAlone = await alone.compile(workspace.sense("broken"));
    expect(errorOf(builds[1])).toEqual(errorOf(brokenAlone));
    expect(errorOf(builds[1])?.message).toMatch(
      /^sense broken does not compile: senses\/broken\/compute\.ts:2:17: Expected "}" but found ";"/,
    );
    expect(errorOf(builds[3])).toEqual(errorOf(await alone.compile(workspace.sense("deep"))));
    expect(errorOf(builds[3])?.file).toBe("senses/deep/lib.ts");
    expect(errorOf(builds[4])?.message).toBe(
      "sense ghost does not compile: it has no compute file",
    );
  });

  it("fails every sense that imports a broken shared file, naming that file", async () => {
    workspace.write("shared/util.ts", "export const util = (;\n");
    for (const name of ["x", "y"]) {
      workspace.write(
        `senses/${name}/compute.ts`,
        'import { util } from "../../shared/util.js";\nexport const compute = () => util;\n',
      );
    }
    const senses = [workspace.sense("x"), addReturning("a", 1), workspace.sense("y")];
    const builds = await compiler.compileAll(senses);
    expect(builds.map((build) => build.ok)).toEqual([false, true, false]);
    expect(errorOf(builds[0])?.file).toBe("shared/util.ts");
    expect(errorOf(builds[2])?.message).toMatch(/^sense y does not compile: shared\/util\.ts:1:/);
  });

  it("shares the build of a sense that compiles already", async () => {
    const a = addReturning("a", 1);
    const single = compiler.compile(a);
    const [fromGroup] = await compiler.compileAll([a, addReturning("b", 2)]);
    expect(fromGroup).toBe(await single);
  });
});
