import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { InvalidTestWorkspaceError } from "./errors.js";

/** Where the engine's workspace comes from: a folder to copy, or files to write. */
export type WorkspaceSource =
  | {
      /** A workspace folder (holds nerve.yaml): copied, without its data, into a temp folder. */
      root: string;
      files?: undefined;
    }
  | {
      /** Files of the workspace, path (relative) → content; nerve.yaml among them. */
      files: Record<string, string>;
      root?: undefined;
    };

/** What a copy leaves out: the data and caches of the original, and the tests themselves. */
const NOT_COPIED = new Set(["data", ".nerve", "node_modules", ".git", "tests"]);

/** A fresh temp folder holding the workspace; `remove` deletes it. */
export function prepareWorkspace(source: WorkspaceSource): { root: string; remove: () => void } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "nerve-test-")));
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  try {
    if (source.root !== undefined) copyWorkspace(resolve(source.root), root);
    else if (source.files !== undefined) writeFiles(source.files, root);
    else {
      throw new InvalidTestWorkspaceError(
        "createTestWorkspace: expected { root } (a workspace folder) or { files } (path → content)",
      );
    }
    return { root, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function copyWorkspace(from: string, to: string): void {
  if (!existsSync(join(from, "nerve.yaml"))) {
    throw new InvalidTestWorkspaceError(
      `createTestWorkspace: ${from} is not a workspace (expected a nerve.yaml in it)`,
    );
  }
  cpSync(from, to, {
    recursive: true,
    filter: (path) => path === from || !NOT_COPIED.has(relative(from, path).split(/[\\/]/)[0]),
  });
  // Packages of the workspace's own come from its node_modules, as in the daemon.
  const modules = join(from, "node_modules");
  if (existsSync(modules)) symlinkSync(modules, join(to, "node_modules"), "dir");
}

function writeFiles(files: Record<string, string>, to: string): void {
  if (!Object.hasOwn(files, "nerve.yaml")) {
    throw new InvalidTestWorkspaceError(
      `createTestWorkspace: files must hold a nerve.yaml (got ${Object.keys(files).join(", ") || "no file"})`,
    );
  }
  for (const [path, content] of Object.entries(files)) {
    const target = resolve(to, path);
    if (isAbsolute(path) || relative(to, target).startsWith("..")) {
      throw new InvalidTestWorkspaceError(
        `createTestWorkspace: file path ${path} must be relative and inside the workspace`,
      );
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
