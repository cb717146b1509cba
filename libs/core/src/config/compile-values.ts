import type { WorkspaceFs } from "./config.types.js";
import { parseDuration } from "./duration.js";

/** A validated duration in ms, or the default when the key was absent or empty. */
export function durationOr(value: unknown, fallback: number): number {
  if (typeof value !== "string") return fallback;
  const parsed = parseDuration(value);
  return parsed.ok ? parsed.value : fallback;
}

/** A validated integer, or the default when the key was absent or empty. */
export function integerOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}

/** The first of `names` that is a file in `folder`, as a workspace-relative path. */
export function firstFile(
  fs: WorkspaceFs,
  folder: string,
  names: readonly string[],
): string | null {
  for (const name of names) {
    const path = `${folder}/${name}`;
    if (fs.isFile(path)) return path;
  }
  return null;
}
