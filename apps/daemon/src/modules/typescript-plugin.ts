import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Message, Plugin, PartialMessage } from "esbuild";
import type TS from "typescript";

/** The TypeScript compiler API, loaded only when a workspace lists modules (it is large). */
export type TypeScriptApi = typeof TS;

let loading: Promise<TypeScriptApi> | null = null;

/** Imports `typescript` once per process. */
export function loadTypeScript(): Promise<TypeScriptApi> {
  loading ??= import("typescript").then((module) => module.default);
  return loading;
}

/** TypeScript files (esbuild takes Go regular expressions: no lookbehind for `.d.ts`). */
const TYPESCRIPT_FILE = /\.(?:ts|mts|cts)$/;

/**
 * Compiler options for user modules. `emitDecoratorMetadata` is the point: it records
 * constructor parameter types (`design:paramtypes`), which is how Nest injects by type; esbuild,
 * tsx and jiti cannot emit it. The workspace's own tsconfig.json is not read, so that a module
 * behaves the same whatever that file says.
 */
export function transpileOptions(ts: TypeScriptApi): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    inlineSourceMap: true,
    inlineSources: true,
  };
}

/**
 * An esbuild plugin that hands every TypeScript file to `ts.transpileModule` and lets esbuild
 * do the rest (resolving and bundling relative imports). Syntax errors come back as esbuild
 * errors positioned in the user's file.
 */
export function typescriptDecorators(ts: TypeScriptApi): Plugin {
  const compilerOptions = transpileOptions(ts);
  return {
    name: "nerve-typescript-decorators",
    setup(build) {
      build.onLoad({ filter: TYPESCRIPT_FILE }, async (args) => {
        const source = await readFile(args.path, "utf8");
        const output = ts.transpileModule(source, {
          fileName: args.path,
          compilerOptions,
          reportDiagnostics: true,
        });
        const errors = (output.diagnostics ?? [])
          .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
          .map((diagnostic) => toMessage(ts, diagnostic, args.path));
        if (errors.length > 0) return { errors };
        return { contents: output.outputText, loader: "js", resolveDir: dirname(args.path) };
      });
    },
  };
}

function toMessage(ts: TypeScriptApi, diagnostic: TS.Diagnostic, path: string): PartialMessage {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  const { file, start } = diagnostic;
  if (file === undefined || start === undefined) return { text };
  const { line, character } = file.getLineAndCharacterOfPosition(start);
  const lineText = file.text.split(/\r?\n/)[line] ?? "";
  const location: Partial<Message["location"]> = {
    file: path,
    line: line + 1,
    column: character,
    lineText,
  };
  return { text, location };
}
