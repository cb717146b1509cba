import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative } from "node:path";
import { build, version as esbuildVersion, type BuildFailure, type Message } from "esbuild";
import {
  isFresh,
  manifestOf,
  writeAtomically,
  type BuildManifest,
} from "../process/build-manifest.js";
import type { CompileProblem } from "../process/compile-problem.js";
import { REQUIRE_BANNER, withEsbuild } from "../process/esbuild-compiler.js";
import { sdkStamp } from "../sdk/sdk-packages.js";
import { sdkResolution } from "../sdk/sdk-plugin.js";
import { ModuleCompileError } from "./errors/module.error.js";
import { loadTypeScript, typescriptDecorators } from "./typescript-plugin.js";

/** Where compiled user modules go, relative to the workspace root. */
export const MODULE_BUILD_DIR = ".nerve/build/modules";

// Bumped whenever the build options change, so that equal sources under new options differ.
// 2: SDK packages are imported from the running Nerve, not the workspace's node_modules.
const OPTIONS_REVISION = 2;

/** What a compiled module was built from and where its output is. */
interface ModuleManifest extends BuildManifest {
  /** The output, relative to the root. */
  output: string;
  hash: string;
}

/** A user module compiled to one ES module. */
export interface ModuleBuild {
  /** The module file as listed in nerve.yaml, relative to the workspace root. */
  file: string;
  /** Absolute path of the compiled ES module; its name carries {@link ModuleBuild.hash}. */
  output: string;
  /** Hash of the compiled code: equal hashes mean the same module. */
  hash: string;
  /** The module file and the local files it imports, relative to the root, sorted. */
  sources: string[];
}

/**
 * Compiles a user module and the workspace files it imports into one ES module under
 * `.nerve/build/modules/`. Each TypeScript file goes through `ts.transpileModule` with decorator
 * metadata (see {@link typescriptDecorators}); esbuild resolves and bundles the relative imports
 * and leaves packages as imports: the SDK (`@nerve/daemon`, `@nestjs/common`, …) from the running
 * Nerve, the others from the workspace's node_modules (see {@link sdkResolution}). The output's name holds the hash of its code: a changed module
 * gets a new file (ES modules cannot be evicted from Node's cache) and an unchanged one keeps its
 * file and its identity.
 *
 * A build is reused while none of its input files changed (mtime and size, recorded in a
 * `.build.json` next to it, so also across daemon restarts): loading the TypeScript compiler
 * takes over a second, which a daemon whose modules did not change does not pay.
 */
export class ModuleCompiler {
  private readonly outputRoot: string;
  private readonly key = `typescript ${typescriptVersion()} esbuild ${esbuildVersion} options ${OPTIONS_REVISION} ${sdkStamp()}`;

  constructor(readonly root: string) {
    this.outputRoot = join(root, MODULE_BUILD_DIR);
  }

  /** @throws ModuleCompileError with every problem, positioned in the user's files. */
  async build(file: string): Promise<ModuleBuild> {
    const base = join(this.outputRoot, file.replace(/\.[^./]+$/, ""));
    const manifestFile = `${base}.build.json`;
    const cached = this.reuse(file, manifestFile);
    if (cached !== null) return cached;
    const ts = await loadTypeScript();
    const entry = join(this.root, file);
    let result;
    try {
      result = await withEsbuild(() =>
        build({
          absWorkingDir: this.root,
          entryPoints: [entry],
          outfile: `${base}.mjs`,
          bundle: true,
          platform: "node",
          format: "esm",
          target: "node20",
          // Class names show in Nest's messages; bundling would otherwise rename some (`Foo2`).
          keepNames: true,
          sourcemap: "inline",
          banner: { js: REQUIRE_BANNER },
          metafile: true,
          write: false,
          logLevel: "silent",
          plugins: [typescriptDecorators(ts), sdkResolution(this.root, "in-process")],
        }),
      );
    } catch (error) {
      const failure = error as Partial<BuildFailure>;
      if (!Array.isArray(failure.errors)) {
        throw new ModuleCompileError(file, [{ file, line: null, col: null, text: String(error) }], {
          cause: error,
        });
      }
      throw new ModuleCompileError(
        file,
        failure.errors.map((message) => this.problem(message)),
        { cause: error },
      );
    }
    const code = result.outputFiles[0].text;
    const hash = createHash("sha256")
      .update(`${this.key}\n`)
      .update(code)
      .digest("hex")
      .slice(0, 16);
    const output = `${base}.${hash}.mjs`;
    if (!existsSync(output)) writeAtomically(output, code);
    const sources = Object.keys(result.metafile.inputs).sort();
    const manifest: ModuleManifest = {
      ...manifestOf(this.root, this.key, file, sources),
      output: relative(this.root, output),
      hash,
    };
    writeAtomically(manifestFile, JSON.stringify(manifest));
    return { file, output, hash, sources };
  }

  /** The previous build of `file`, if its output exists and none of its inputs changed. */
  private reuse(file: string, manifestFile: string): ModuleBuild | null {
    let manifest: Partial<ModuleManifest>;
    try {
      manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Partial<ModuleManifest>;
    } catch {
      return null;
    }
    if (typeof manifest.output !== "string" || typeof manifest.hash !== "string") return null;
    const output = join(this.root, manifest.output);
    if (!isFresh(this.root, manifestFile, output, this.key, file)) return null;
    return {
      file,
      output,
      hash: manifest.hash,
      sources: Object.keys(manifest.inputs ?? {}).sort(),
    };
  }

  /** Deletes compiled modules other than `keep` (absolute output paths); manifests stay. */
  prune(keep: Iterable<string>): void {
    const kept = new Set(keep);
    for (const path of listFiles(this.outputRoot)) {
      if (path.endsWith(".mjs") && !kept.has(path)) rmSync(path, { force: true });
    }
  }

  private problem(message: Message): CompileProblem {
    const location = message.location;
    if (location === null) return { file: null, line: null, col: null, text: message.text };
    const file = isAbsolute(location.file) ? relative(this.root, location.file) : location.file;
    return { file, line: location.line, col: location.column + 1, text: message.text };
  }
}

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

/** The installed compiler's version, read without loading the compiler. */
function typescriptVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require("typescript/package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}
