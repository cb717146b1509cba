import { join, relative, sep } from "node:path";
import type { BuildOptions, BuildResult, Metafile } from "esbuild";
import { manifestOf, writeAtomically } from "./build-manifest.js";
import type { CompileProblem } from "./compile-problem.js";

/** A compiled user module, or the problems that kept it from compiling. */
export type UserModuleBuild =
  | { ok: true; module: string; cached: boolean }
  | { ok: false; problems: CompileProblem[]; cause: unknown };

/** One module of a batch: `source` (relative to the root) built into `outputDir`. */
export interface UserModuleEntry {
  /** What the caller calls it (a sense's name); unique within a batch. */
  name: string;
  /** The entry file, relative to the root. */
  source: string;
  /** Absolute; the output and its manifest `build.json` go there. */
  outputDir: string;
}

/** What a batch is built with (see EsbuildCompiler.compileUserModules). */
export interface BatchContext {
  root: string;
  /** The build key recorded in each manifest. */
  key: string;
  /** The output's file name in its folder, e.g. `compute.mjs`. */
  fileName: string;
  /** The options of a user module build besides entry points and output. */
  options: BuildOptions;
  /** Builds one entry on its own (the problems of a module that does not compile). */
  buildOne(entry: UserModuleEntry): Promise<UserModuleBuild>;
  /** Runs an esbuild build with the common options. */
  run(options: BuildOptions): Promise<BuildResult>;
}

/**
 * Builds `entries` in one esbuild call, each into `<outputDir>/<fileName>` with its manifest,
 * and records each build in `builds`. A failed call is split in two halves built the same way,
 * down to single entries, built by `buildOne`.
 */
export async function buildUserModules(
  entries: readonly UserModuleEntry[],
  builds: Map<string, UserModuleBuild>,
  context: BatchContext,
): Promise<void> {
  if (entries.length === 0) return;
  if (entries.length === 1) {
    const [entry] = entries;
    builds.set(entry.name, await context.buildOne(entry));
    return;
  }
  let written: Map<string, UserModuleBuild>;
  try {
    written = await buildTogether(entries, context);
  } catch {
    const half = Math.ceil(entries.length / 2);
    await Promise.all([
      buildUserModules(entries.slice(0, half), builds, context),
      buildUserModules(entries.slice(half), builds, context),
    ]);
    return;
  }
  for (const [name, build] of written) builds.set(name, build);
}

/** One esbuild call for all `entries`; throws what esbuild throws. */
async function buildTogether(
  entries: readonly UserModuleEntry[],
  context: BatchContext,
): Promise<Map<string, UserModuleBuild>> {
  const { root, key, fileName } = context;
  if (!fileName.endsWith(".mjs")) throw new Error(`${fileName}: a batch builds .mjs files only`);
  const stem = fileName.slice(0, -".mjs".length);
  const result = await context.run({
    ...context.options,
    absWorkingDir: root,
    outdir: root,
    outExtension: { ".js": ".mjs" },
    entryPoints: entries.map((entry) => ({
      in: join(root, entry.source),
      out: relative(root, join(entry.outputDir, stem)),
    })),
  });
  const { outputFiles = [], metafile } = result;
  if (metafile === undefined) throw new Error("esbuild returned no metafile");
  const outputs = new Map(outputFiles.map((file) => [file.path, file]));
  const builds = new Map<string, UserModuleBuild>();
  for (const entry of entries) {
    const module = join(entry.outputDir, fileName);
    const output = outputs.get(module);
    const entryPoint = metafile.outputs[metafilePath(root, module)]?.entryPoint;
    if (output === undefined || entryPoint === undefined) {
      throw new Error(`esbuild wrote no ${metafilePath(root, module)}`);
    }
    writeAtomically(module, output.contents);
    const inputs = inputsOf(metafile, entryPoint);
    const manifest = manifestOf(root, key, entry.source, inputs);
    writeAtomically(join(entry.outputDir, "build.json"), JSON.stringify(manifest));
    builds.set(entry.name, { ok: true, module, cached: false });
  }
  return builds;
}

/** A file as esbuild's metafile names it: relative to the root, with forward slashes. */
function metafilePath(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
}

/**
 * The inputs one entry point's output depends on: those it imports, directly or not (the
 * metafile of a build of that entry alone lists these).
 */
export function inputsOf(metafile: Metafile, entryPoint: string): string[] {
  const seen = new Set<string>();
  const next = [entryPoint];
  for (let path = next.pop(); path !== undefined; path = next.pop()) {
    const input = metafile.inputs[path];
    if (input === undefined || seen.has(path)) continue;
    seen.add(path);
    for (const imported of input.imports) if (imported.external !== true) next.push(imported.path);
  }
  return [...seen];
}
