import { Inject, Injectable, type OnApplicationShutdown } from "@nestjs/common";
import { join } from "node:path";
import type { CompiledWorkflow } from "@nerve/core";
import { NERVE_OPTIONS, type NerveOptions } from "../kernel/nerve-options.js";
import { EsbuildCompiler } from "../process/esbuild-compiler.js";
import { WorkflowCompileError } from "./errors/worker.error.js";

/** Where compiled workflows go, relative to the workspace root. */
export const WORKFLOW_BUILD_DIR = ".nerve/build/workflows";

/** The workflow worker bundled into one file, relative to the workspace root. */
export const WORKFLOW_WORKER_BUNDLE = ".nerve/build/workflow-worker.mjs";

/** A compiled workflow, ready to be imported by its worker. */
export type WorkflowBuild =
  | { ok: true; workflow: string; source: string; module: string; cached: boolean }
  | { ok: false; workflow: string; source: string | null; error: WorkflowCompileError };

/**
 * Compiles `workflows/<name>/index.ts` (or .js/.mts) with esbuild into one ES module under
 * `.nerve/build/workflows/<name>/index.mjs`, the way senses are compiled (see
 * {@link EsbuildCompiler}). Compile errors come back as a failed build; nothing throws.
 */
@Injectable()
export class WorkflowCompiler implements OnApplicationShutdown {
  private readonly esbuild: EsbuildCompiler;

  constructor(@Inject(NERVE_OPTIONS) options: Pick<NerveOptions, "root">) {
    this.esbuild = new EsbuildCompiler(options.root);
  }

  /** The workspace root, absolute. */
  get root(): string {
    return this.esbuild.root;
  }

  /** The folder of a workflow's compiled output. */
  outputDir(workflow: string): string {
    return join(this.root, WORKFLOW_BUILD_DIR, workflow);
  }

  /** Compiles a workflow unless its output is up to date (`force` skips that check). */
  compile(workflow: CompiledWorkflow, options: { force?: boolean } = {}): Promise<WorkflowBuild> {
    return this.esbuild.once(workflow.name, () => this.run(workflow, options.force === true));
  }

  /**
   * Bundles the worker entry (the built `workflow-worker.js`) into one file,
   * {@link WORKFLOW_WORKER_BUNDLE} (see EsbuildCompiler.bundleWorker).
   *
   * @throws whatever esbuild throws (the caller falls back to the unbundled entry)
   */
  bundleWorker(entry: string): Promise<{ file: string; cached: boolean }> {
    return this.esbuild.bundleWorker(entry, WORKFLOW_WORKER_BUNDLE);
  }

  /** Stops esbuild's service process (restarted by the next build if there is one). */
  async onApplicationShutdown(): Promise<void> {
    await this.esbuild.stop();
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
    const build = await this.esbuild.compileUserModule(source, dir, "index.mjs", force);
    if (build.ok) {
      const { module, cached } = build;
      return { ok: true, workflow: workflow.name, source, module, cached };
    }
    return {
      ok: false,
      workflow: workflow.name,
      source,
      error: new WorkflowCompileError(workflow.name, build.problems, { cause: build.cause }),
    };
  }
}
