import { Inject, Injectable, type OnApplicationShutdown } from "@nestjs/common";
import { join } from "node:path";
import type { CompiledSense } from "@nerve/core";
import { NERVE_OPTIONS, type NerveOptions } from "../kernel/nerve-options.js";
import {
  EsbuildCompiler,
  type UserModuleBuild,
  type UserModuleEntry,
} from "../process/esbuild-compiler.js";
import { SenseCompileError } from "./errors/sense-compile.error.js";

/** Where compiled senses go, relative to the workspace root. */
export const SENSE_BUILD_DIR = ".nerve/build/senses";

/** The sense worker bundled into one file, relative to the workspace root. */
export const WORKER_BUNDLE = ".nerve/build/sense-worker.mjs";

/** A compiled sense, ready to be imported by a worker. */
export interface SenseBuildOk {
  ok: true;
  sense: string;
  /** The compute file, relative to the root. */
  source: string;
  /** Absolute path of the compiled ES module. */
  module: string;
  /** True when the previous output was still up to date. */
  cached: boolean;
}

export interface SenseBuildFailed {
  ok: false;
  sense: string;
  source: string | null;
  error: SenseCompileError;
}

export type SenseBuild = SenseBuildOk | SenseBuildFailed;

/**
 * Compiles `senses/<name>/compute.ts` (or .js/.mts) with esbuild into one ES module under
 * `.nerve/build/senses/<name>/compute.mjs` (see {@link EsbuildCompiler}: relative imports
 * bundled, packages resolved at run time from the workspace's node_modules, outputs reused
 * while their inputs are unchanged, also across daemon restarts). Compile errors come back as a
 * failed build carrying a SenseCompileError with file, line and column; nothing throws.
 */
@Injectable()
export class SenseCompiler implements OnApplicationShutdown {
  private readonly esbuild: EsbuildCompiler;

  constructor(@Inject(NERVE_OPTIONS) options: Pick<NerveOptions, "root">) {
    this.esbuild = new EsbuildCompiler(options.root);
  }

  /** The workspace root, absolute. */
  get root(): string {
    return this.esbuild.root;
  }

  /** The folder of a sense's compiled output. */
  outputDir(sense: string): string {
    return join(this.root, SENSE_BUILD_DIR, sense);
  }

  /**
   * Compiles a sense unless its last output is up to date (`force` skips that check). Calls
   * for one sense while it compiles share that build.
   */
  compile(sense: CompiledSense, options: { force?: boolean } = {}): Promise<SenseBuild> {
    return this.esbuild.once(sense.name, () => this.run(sense, options.force === true));
  }

  /**
   * {@link compile} for the senses of a group: those whose outputs are up to date are reused,
   * the others built by one esbuild call (see EsbuildCompiler.compileUserModules); a sense
   * that does not compile fails on its own, with the problems a build of it alone reports.
   * A sense compiling already (a compile() in flight) shares that build.
   *
   * @param options.force names of senses to rebuild even if their files look unchanged
   * @returns one build per sense, in the order given
   */
  compileAll(
    senses: readonly CompiledSense[],
    options: { force?: Iterable<string> } = {},
  ): Promise<SenseBuild[]> {
    const force = new Set(options.force);
    const gathered: CompiledSense[] = [];
    let release!: () => void;
    const batch = new Promise<void>((resolve) => {
      release = resolve;
    }).then(() => this.runAll(gathered, force));
    const builds = senses.map((sense) =>
      this.esbuild.once(sense.name, () => {
        gathered.push(sense);
        return batch.then((done) => done.get(sense.name) as SenseBuild);
      }),
    );
    release();
    return Promise.all(builds);
  }

  /**
   * Bundles the worker entry (the built `sense-worker.js`) into one file, {@link WORKER_BUNDLE}
   * (see EsbuildCompiler.bundleWorker). Why: it saves start time and about 1.4 MB of private
   * memory in every group's process.
   *
   * @returns the bundle's absolute path
   * @throws whatever esbuild throws (the caller falls back to the unbundled entry)
   */
  bundleWorker(entry: string): Promise<{ file: string; cached: boolean }> {
    return this.esbuild.bundleWorker(entry, WORKER_BUNDLE);
  }

  /** Stops esbuild's service process (restarted by the next build if there is one). */
  async onApplicationShutdown(): Promise<void> {
    await this.esbuild.stop();
  }

  private async run(sense: CompiledSense, force: boolean): Promise<SenseBuild> {
    const source = sense.computeFile;
    if (source === null) return noComputeFile(sense);
    const dir = this.outputDir(sense.name);
    const build = await this.esbuild.compileUserModule(source, dir, COMPUTE_MODULE, force);
    return senseBuild(sense.name, source, build);
  }

  private async runAll(
    senses: readonly CompiledSense[],
    force: ReadonlySet<string>,
  ): Promise<Map<string, SenseBuild>> {
    const done = new Map<string, SenseBuild>();
    const entries: UserModuleEntry[] = [];
    for (const sense of senses) {
      if (sense.computeFile === null) done.set(sense.name, noComputeFile(sense));
      else {
        const outputDir = this.outputDir(sense.name);
        entries.push({ name: sense.name, source: sense.computeFile, outputDir });
      }
    }
    const builds = await this.esbuild.compileUserModules(entries, COMPUTE_MODULE, force);
    for (const entry of entries) {
      const build = builds.get(entry.name);
      if (build !== undefined) done.set(entry.name, senseBuild(entry.name, entry.source, build));
    }
    return done;
  }
}

/** The file name of a compiled sense in its output folder. */
const COMPUTE_MODULE = "compute.mjs";

function noComputeFile(sense: CompiledSense): SenseBuildFailed {
  const problem = { file: null, line: null, col: null, text: "it has no compute file" };
  return {
    ok: false,
    sense: sense.name,
    source: null,
    error: new SenseCompileError(sense.name, [problem]),
  };
}

function senseBuild(sense: string, source: string, build: UserModuleBuild): SenseBuild {
  if (build.ok) return { ok: true, sense, source, module: build.module, cached: build.cached };
  return {
    ok: false,
    sense,
    source,
    error: new SenseCompileError(sense, build.problems, { cause: build.cause }),
  };
}
