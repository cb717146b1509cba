import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import type { NameKind } from "../common/nerve-command.js";
import { CONFIG_FILE } from "../common/workspace.js";

/**
 * The sense or workflow names declared in the workspace's nerve.yaml, for shell completion:
 * the workspace is the one `--root` names on the command line being completed, else
 * `NERVE_ROOT`, else the nearest folder with a nerve.yaml. Read with the YAML parser alone (no
 * validation) and never failing: a missing or broken file offers no names.
 */
export function workspaceNames(
  kind: NameKind,
  words: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string[] {
  const file = configFile(rootFromWords(words) ?? (env.NERVE_ROOT || undefined), cwd);
  if (file === null) return [];
  try {
    const config: unknown = parse(readFileSync(file, "utf8"));
    const section = isRecord(config) ? config[kind === "sense" ? "senses" : "workflows"] : null;
    return isRecord(section) ? Object.keys(section).sort() : [];
  } catch {
    return [];
  }
}

function rootFromWords(words: readonly string[]): string | undefined {
  for (let i = words.length - 2; i >= 0; i--) {
    const word = words[i];
    if (word === "--root" && i + 1 < words.length - 1) return words[i + 1];
    if (word.startsWith("--root=")) return word.slice("--root=".length);
  }
  return undefined;
}

function configFile(root: string | undefined, cwd: string): string | null {
  if (root !== undefined) {
    const file = join(resolve(cwd, root), CONFIG_FILE);
    return existsSync(file) ? file : null;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
