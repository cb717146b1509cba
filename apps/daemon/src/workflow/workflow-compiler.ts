import { Inject, Injectable, type OnApplicationShutdown } from "@nestjs/common";
import { join, resolve } from "node:path";
import type { CompiledWorkflow } from "@nerve/core";
import { build, stop, version as esbuildVersion, type BuildFailure, type Message } from "esbuild";
import { NERVE_OPTIONS, type NerveOptions } from "../kernel/nerve-options.js";
import { isFresh, manifestOf, writeAtomically } from "../sense/build-manifest.js";
import type { CompileProblem } from "../sense/errors/sense-compile.error.js";
import { WorkflowCompileError } from "./errors/worker.error.js";

/** Where compiled workflows go, relative to the workspace root. */
export const WORKFLOW_BUILD_DIR = ".nerve/build/workflows";

/** The workflow worker bundled into one file, relative to the workspace root. */
export const WORKFLOW_WORKER_BUNDLE = ".nerve/build/workflow-worker.mjs";

// Bumped whenever the build options change, so that cached outputs of older options are rebuilt.
const OPTIONS_REVISION = 1;

const COMMON_OPTIONS = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  metafile: true,
  write: false,
  logLevel: "silent",
} as const;

// ES modules have no `require`; bundled CommonJS code needs one, resolved from the build
// folder, which lies inside the workspace like its node_modules (as for senses).
const REQUIRE_BANNER =
  'import { createRequire as __nerveCreateRequire } from "node:module";\n' +
  "const require = __nerveCreateRequire(import.meta.url);";

/** A compiled workflow, ready to be imported by its worker. */
export type WorkflowBuild =
  | { ok: true; workflow: string; source: string; module: string; cached: boolean }
  | { ok: false; workflow: string; source: string | null; error: WorkflowCompileError };

/**
 * Compiles `workflows/<name>/index.ts` (or .js/.mts) with esbuild into one ES module under
 * `.nerve/build/workflows/<name>/index.mjs`, the way senses are compiled: relative imports
 * bundled, packages left as imports resolved from the workspace, outputs reused while their
 * inputs are unchanged. Compile errors come back as a failed build; nothing throws.
 */
@Injectable()
export class WorkflowCompiler implements OnApplicationShutdown {
  readonly root: string;
  private readonly building = new Map<string, Promise<WorkflowBuild>>();
  private readonly key = `esbuild ${esbuildVersion} options ${OPTIONS_REVISION}`;

  constructor(@Inject(NERVE_OPTIONS) options: Pick<NerveOptions, "root">) {
    this.root = resolve(options.root);
  }

  /** The folder of a workflow's compiled output. */
  outputDir(workflow: string): string {
    return join(this.root, WORKFLOW_BUILD_DIR, workflow);
  }

  /** Compiles a workflow unless its output is up to date (`force` skips that check). */
  compile(workflow: CompiledWorkflow, options: { force?: boolean } = {}): Promise<WorkflowBuild> {
    const running = this.building.get(workflow.name);
    if (running !== undefined) return running;
    const next = this.run(workflow, options.force === true).finally(() =>
      this.building.delete(workflow.name),
    );
    this.building.set(workflow.name, next);
    return next;
  }

  /**
   * Bundles the worker entry (the built `workflow-worker.js`) and everything it imports into
   * {@link WORKFLOW_WORKER_BUNDLE}, reused while its inputs are unchanged: one module loads
   * faster and holds less memory than the package graph it comes from.
   *
   * @throws whatever esbuild throws (the caller falls back to the unbundled entry)
   */
  async bundleWorker(entry: string): Promise<{ file: string; cached: boolean }> {
    const file = join(this.root, WORKFLOW_WORKER_BUNDLE);
    const manifestFile = file.replace(/\.mjs$/, ".build.json");
    if (isFresh(this.root, manifestFile, file, this.key, entry)) return { file, cached: true };
    const result = await build({
      ...COMMON_OPTIONS,
      absWorkingDir: this.root,
      entryPoints: [entry],
      outfile: file,
    });
    writeAtomically(file, result.outputFiles[0].contents);
    const inputs = Object.keys(result.metafile.inputs);
    writeAtomically(manifestFile, JSON.stringify(manifestOf(this.root, this.key, entry, inputs)));
    return { file, cached: false };
  }

  /** Stops esbuild's service process (restarted by the next build if there is one). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.building.values());
    await stop();
  }

  private async run(workflow: CompiledWorkflow, force: boolean): Promise<WorkflowBuild> {
    const source = workflow.file;
    if (source === null) {
      const problem = { file: null, line: null, col: null, text: "it has no definition file" };
      return {
        ok: false,
        workflow: workflow.name,
        source,
        error: new WorkflowCompileError(workflow.name, [problem]),
      };
    }
    const dir = this.outputDir(workflow.name);
    const module = join(dir, "index.mjs");
    const manifestFile = join(dir, "build.json");
    if (!force && isFresh(this.root, manifestFile, module, this.key, source)) {
      return { ok: true, workflow: workflow.name, source, module, cached: true };
    }
    try {
      const result = await build({
        ...COMMON_OPTIONS,
        absWorkingDir: this.root,
        entryPoints: [join(this.root, source)],
        outfile: module,
        packages: "external",
        sourcemap: "inline",
        sourcesContent: false,
        banner: { js: REQUIRE_BANNER },
      });
      writeAtomically(module, result.outputFiles[0].contents);
      const inputs = Object.keys(result.metafile.inputs);
      writeAtomically(
        manifestFile,
        JSON.stringify(manifestOf(this.root, this.key, source, inputs)),
      );
      return { ok: true, workflow: workflow.name, source, module, cached: false };
    } catch (error) {
      return {
        ok: false,
        workflow: workflow.name,
        source,
        error: new WorkflowCompileError(workflow.name, problemsOf(error, source), {
          cause: error,
        }),
      };
    }
  }
}

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

function problemsOf(error: unknown, source: string): CompileProblem[] {
  if (!isBuildFailure(error) || error.errors.length === 0) {
    const text = error instanceof Error ? error.message : String(error);
    return [{ file: source, line: null, col: null, text }];
  }
  return error.errors.map(toProblem);
}

function toProblem(message: Message): CompileProblem {
  const at = message.location;
  if (at === null) return { file: null, line: null, col: null, text: message.text };
  // esbuild columns are 0-based; editors and config errors count from 1.
  return { file: at.file, line: at.line, col: at.column + 1, text: message.text };
}
