import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** What an esbuild output depended on: every input file's mtime and size, and its options. */
export interface BuildManifest {
  /** Changes whenever the build options or esbuild's version change. */
  key: string;
  /** The entry point, as the caller names it. */
  entry: string;
  /** Inputs relative to `root` (as esbuild's metafile names them) → [mtimeMs, size]. */
  inputs: Record<string, [mtimeMs: number, size: number]>;
}

/** [mtimeMs, size] of a regular file, or null. */
export function statOf(file: string): [number, number] | null {
  try {
    const stats = statSync(file);
    return stats.isFile() ? [stats.mtimeMs, stats.size] : null;
  } catch {
    return null;
  }
}

/** Writes through a temp file and a rename, so a reader never sees half a file. */
export function writeAtomically(file: string, data: string | Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}

/** The manifest of a build whose inputs esbuild listed in its metafile. */
export function manifestOf(
  root: string,
  key: string,
  entry: string,
  inputs: readonly string[],
): BuildManifest {
  const manifest: BuildManifest = { key, entry, inputs: {} };
  for (const input of inputs) {
    const stats = statOf(join(root, input));
    if (stats !== null) manifest.inputs[input] = stats;
  }
  return manifest;
}

/** Whether `output` exists and was built with `key` from `entry` and inputs unchanged since. */
export function isFresh(
  root: string,
  manifestFile: string,
  output: string,
  key: string,
  entry: string,
): boolean {
  let manifest: Partial<BuildManifest>;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Partial<BuildManifest>;
  } catch {
    return false;
  }
  if (manifest.key !== key || manifest.entry !== entry || statOf(output) === null) return false;
  const inputs = Object.entries(manifest.inputs ?? {});
  if (inputs.length === 0) return false;
  return inputs.every(([file, [mtimeMs, size]]) => {
    const now = statOf(join(root, file));
    return now !== null && now[0] === mtimeMs && now[1] === size;
  });
}
