import { existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { moduleWorkspace, writeFiles } from "./__fixtures__/workspace.js";
import { resolveSdkInProcess } from "../sdk/sdk-packages.js";
import { ModuleCompileError } from "./errors/module.error.js";
import { MODULE_BUILD_DIR, ModuleCompiler } from "./module-compiler.js";

const SERVICE = `import { Injectable } from "@nestjs/common";
import { LogStore } from "@nerve/daemon";
import { prefix } from "./prefix";

@Injectable()
export class Audit {
  constructor(readonly logStore: LogStore) {}
  tag(): string {
    return prefix;
  }
}
`;

describe(ModuleCompiler.name, () => {
  let root: string;
  let cleanup: () => void;
  let compiler: ModuleCompiler;

  beforeEach(() => {
    ({ root, cleanup } = moduleWorkspace({
      "modules/audit.ts": SERVICE,
      "modules/prefix.ts": 'export const prefix = "audit";\n',
    }));
    compiler = new ModuleCompiler(root);
  });

  afterEach(() => cleanup());

  describe("build", () => {
    it("bundles the local imports, imports the SDK from this install and records constructor types", async () => {
      const build = await compiler.build("modules/audit.ts");
      const code = readFileSync(build.output, "utf8");
      expect(build.output).toBe(join(root, MODULE_BUILD_DIR, `modules/audit.${build.hash}.mjs`));
      expect(build.sources).toEqual(["modules/audit.ts", "modules/prefix.ts"]);
      // The SDK as this process loads it, whatever the workspace's node_modules holds.
      expect(code).toContain(`from ${JSON.stringify(resolveSdkInProcess("@nerve/daemon"))}`);
      expect(code).toContain('var prefix = "audit"');
      expect(code).toContain('__metadata("design:paramtypes", [typeof (_a = typeof LogStore');
    });

    it("reuses the previous output while no input changed, and rebuilds once one does", async () => {
      const first = await compiler.build("modules/audit.ts");
      writeFileSync(first.output, "// the cached output\n");
      const again = await new ModuleCompiler(root).build("modules/audit.ts");
      expect(again).toEqual(first);
      expect(readFileSync(again.output, "utf8")).toBe("// the cached output\n");

      writeFiles(root, { "modules/prefix.ts": 'export const prefix = "audit-2";\n' });
      const changed = await compiler.build("modules/audit.ts");
      expect(changed.hash).not.toBe(first.hash);
      expect(readFileSync(changed.output, "utf8")).toContain('"audit-2"');
    });

    it("gives the same hash to the same code, even after the inputs were touched", async () => {
      const first = await compiler.build("modules/audit.ts");
      const later = new Date(Date.now() + 5_000);
      utimesSync(join(root, "modules/prefix.ts"), later, later);
      const second = await compiler.build("modules/audit.ts");
      expect(second.hash).toBe(first.hash);
    });

    it("reports every problem with file, line and column", async () => {
      writeFiles(root, {
        "modules/broken.ts": 'import { nothing } from "./missing.js";\nexport const x = nothing;\n',
        "modules/typo.ts": "export const y = ;\n",
      });
      await expect(compiler.build("modules/broken.ts")).rejects.toThrow(
        new ModuleCompileError("modules/broken.ts", [
          {
            file: "modules/broken.ts",
            line: 1,
            col: 25,
            text: 'Could not resolve "./missing.js"',
          },
        ]),
      );
      const error = (await compiler
        .build("modules/typo.ts")
        .catch((e: unknown) => e)) as ModuleCompileError;
      expect(error).toBeInstanceOf(ModuleCompileError);
      expect(error.stage).toBe("compile");
      expect(error.problems).toEqual([
        { file: "modules/typo.ts", line: 1, col: 18, text: "Expression expected." },
      ]);
    });
  });

  describe("prune", () => {
    it("deletes compiled modules other than those kept, and keeps the manifests", async () => {
      const first = await compiler.build("modules/audit.ts");
      writeFiles(root, { "modules/prefix.ts": 'export const prefix = "other";\n' });
      const second = await compiler.build("modules/audit.ts");
      compiler.prune([second.output]);
      expect(existsSync(first.output)).toBe(false);
      expect(readdirSync(join(root, MODULE_BUILD_DIR, "modules")).sort()).toEqual(
        [`audit.${second.hash}.mjs`, "audit.build.json"].sort(),
      );
    });
  });
});
