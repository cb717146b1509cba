import { Injectable } from "@nestjs/common";
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../common/cli-errors.js";
import { paint, printJson, printLine } from "../common/output.js";
import { CONFIG_FILE } from "../common/workspace.js";

/** The example workspace shipped with the CLI (apps/cli/templates/workspace). */
const TEMPLATE_DIR = fileURLToPath(new URL("../../templates/workspace", import.meta.url));

/** Template files whose names npm or git would treat specially are stored under another name. */
const RENAMED: Record<string, string> = { gitignore: ".gitignore" };

export interface InitResult {
  root: string;
  files: string[];
  /**
   * Kept for scripts that read it; always empty: nothing is linked into node_modules any more
   * (the daemon finds the SDK in the running Nerve, editors through {@link InitResult.editorConfig}).
   */
  links: never[];
  /** The TypeScript settings that point editors at the SDK, relative to the root. */
  editorConfig: string;
}

export interface InitOptions {
  root?: string;
  force?: boolean;
  json?: boolean;
}

/** `nerve init`. */
@Injectable()
export class InitService {
  /** Scaffolds the workspace and says what was made and what to do next. */
  async scaffold(dir: string | undefined, options: InitOptions): Promise<void> {
    const result = await this.init(dir ?? options.root ?? process.cwd(), options.force === true);
    if (options.json) {
      printJson(result);
      return;
    }
    printLine(`${paint("✓", "green")} created a Nerve workspace in ${result.root}`);
    for (const file of result.files) printLine(`  ${file}`);
    printLine(`  ${result.editorConfig} (where editors find the SDK; tsconfig.json extends it)`);
    printLine();
    printLine("Next:");
    printLine(`  cd ${result.root}`);
    printLine("  nerve validate      # check nerve.yaml and the files it names");
    printLine("  nerve dev           # run it in the foreground");
  }

  /**
   * Scaffolds a workspace in `dir`. Refuses an existing workspace, or files that would be
   * overwritten, unless `force`; never touches `data/` or `logs/`. Nothing goes into
   * node_modules: `npm install` there cannot break the workspace.
   */
  async init(dir: string, force: boolean): Promise<InitResult> {
    const root = resolve(dir);
    if (existsSync(root) && !statSync(root).isDirectory()) {
      throw new CliError(`${root} exists and is not a directory`);
    }
    const files = listTemplate(TEMPLATE_DIR);
    if (!force) {
      if (existsSync(join(root, CONFIG_FILE))) {
        throw new CliError(
          `${root} is already a Nerve workspace (it has a ${CONFIG_FILE}); use --force to rewrite the example files`,
        );
      }
      const clashes = files.map(targetName).filter((file) => existsSync(join(root, file)));
      if (clashes.length > 0) {
        throw new CliError(
          `${root} already has ${clashes.join(", ")}; use --force to overwrite ${clashes.length === 1 ? "it" : "them"}`,
        );
      }
    }
    for (const file of files) {
      const target = join(root, targetName(file));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(TEMPLATE_DIR, file), target);
    }
    const { EDITOR_CONFIG_FILE, writeEditorConfig } = await import("@nerve/daemon/sdk");
    writeEditorConfig(root);
    return { root, files: files.map(targetName), links: [], editorConfig: EDITOR_CONFIG_FILE };
  }
}

function targetName(file: string): string {
  return RENAMED[file] ?? file;
}

function listTemplate(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listTemplate(path, base) : [relative(base, path)];
  });
}
