import {
  cpSync,
  existsSync,
  lstatSync,
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
      /**
       * Run the engine in `root` itself rather than in a temp copy, and leave the folder (its
       * `data/` included) in place on close: for a folder already prepared as a copy, such as
       * the one `nerve replay --into` makes. Default false.
       */
      inPlace?: boolean;
      files?: undefined;
    }
  | {
      /** Files of the workspace, path (relative) → content; nerve.yaml among them. */
      files: Record<string, string>;
      root?: undefined;
      inPlace?: undefined;
    };

/**
 * What a copy leaves out: the data, caches and text logs of the original, the files of a daemon
 * running there (its pid file and socket), and the tests themselves.
 */
const NOT_COPIED = new Set([
  "data",
  ".nerve",
  "node_modules",
  ".git",
  "tests",
  "logs",
  "nerve.pid",
  "nerve.sock",
]);

/** A fresh temp folder holding the workspace; `remove` deletes it. */
export function prepareWorkspace(source: WorkspaceSource): { root: string; remove: () => void } {
  if (source.root !== undefined && source.inPlace === true) {
    const root = resolve(source.root);
    assertWorkspace(root);
    return { root: realpathSync(root), remove: () => undefined };
  }
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

/**
 * Copies the workspace `from` into the folder `to` as the kit runs it: without `data/`,
 * `.nerve/`, `.git/` and `tests/`, its `node_modules` linked rather than copied.
 *
 * @throws InvalidTestWorkspaceError when `from` holds no nerve.yaml.
 */
export function copyWorkspace(from: string, to: string): void {
  assertWorkspace(from);
  cpSync(from, to, {
    recursive: true,
    filter: (path) =>
      path === from || (!NOT_COPIED.has(relative(from, path).split(/[\\/]/)[0]) && copiable(path)),
  });
  // Packages of the workspace's own come from its node_modules, as in the daemon.
  const modules = join(from, "node_modules");
  if (existsSync(modules)) symlinkSync(modules, join(to, "node_modules"), "dir");
}

/** Sockets and FIFOs (a daemon's, a tool's) cannot be copied, and are nothing to run. */
function copiable(path: string): boolean {
  const stat = lstatSync(path);
  return !stat.isSocket() && !stat.isFIFO();
}

function assertWorkspace(root: string): void {
  if (!existsSync(join(root, "nerve.yaml"))) {
    throw new InvalidTestWorkspaceError(
      `createTestWorkspace: ${root} is not a workspace (expected a nerve.yaml in it)`,
    );
  }
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
