import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledSense } from "@nerve/core";
import type { SenseBuild, SenseBuildOk } from "../sense-compiler.js";

const FIXTURE_SENSES = fileURLToPath(new URL("./senses/", import.meta.url));

/** A temp workspace holding copies of fixture senses; `cleanup()` removes it. */
export class FixtureWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), "nerve-sense-"));

  /** Copies fixture `fixture` (a folder of __fixtures__/senses) to `senses/<name>/`. */
  addSense(name: string, fixture: string = name): this {
    cpSync(join(FIXTURE_SENSES, fixture), join(this.root, "senses", name), { recursive: true });
    return this;
  }

  /** Writes a file relative to the root, creating its folder. */
  write(relative: string, text: string): this {
    const file = join(this.root, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return this;
  }

  /** The compiled config entry of a sense whose compute file is `compute.ts`. */
  sense(name: string, options: Partial<CompiledSense> = {}): CompiledSense {
    return {
      name,
      group: "default",
      throttleMs: 0,
      timeoutMs: 30_000,
      gracePeriodMs: 0,
      computeFile: `senses/${name}/compute.ts`,
      ...options,
    };
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A trigger of kind `manual`. */
export const manual = { kind: "manual" as const, signals: [] };

/** The build, asserted to have succeeded (its error message otherwise). */
export function expectOk(build: SenseBuild): SenseBuildOk {
  if (!build.ok) throw new Error(`expected a build, got ${build.error.message}`);
  return build;
}
