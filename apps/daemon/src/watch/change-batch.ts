import { sep } from "node:path";

/** What a burst of file events touched, by kind. Paths are relative to the workspace root. */
export interface ChangeBatch {
  /** nerve.yaml changed, or files appeared or vanished where the config names files. */
  config: boolean;
  senses: Map<string, string[]>;
  workflows: Map<string, string[]>;
  modules: string[];
}

export type FileEvent = "add" | "addDir" | "change" | "unlink" | "unlinkDir";

/** Top-level entries of a workspace that the watcher follows. */
export const WATCHED_TOP_LEVEL = new Set(["nerve.yaml", "senses", "workflows", "modules"]);

/** Folders never followed, wherever they are. */
const IGNORED_SEGMENTS = new Set(["node_modules", ".nerve", ".git"]);

/** Whether a path (relative to the root, "" for the root itself) is outside what the watcher follows. */
export function isIgnored(relativePath: string): boolean {
  if (relativePath === "") return false;
  const segments = relativePath.split(sep);
  if (!WATCHED_TOP_LEVEL.has(segments[0] ?? "")) return true;
  return segments.some((segment) => IGNORED_SEGMENTS.has(segment));
}

export function emptyBatch(): ChangeBatch {
  return { config: false, senses: new Map(), workflows: new Map(), modules: [] };
}

/** Adds one file event to a batch. */
export function addToBatch(batch: ChangeBatch, event: FileEvent, relativePath: string): void {
  const [top, name, ...rest] = relativePath.split(sep);
  const appearedOrVanished = event !== "change";
  switch (top) {
    case "nerve.yaml":
      batch.config = true;
      return;
    case "senses":
    case "workflows": {
      if (!name) {
        batch.config ||= appearedOrVanished;
        return;
      }
      const target = top === "senses" ? batch.senses : batch.workflows;
      target.set(name, [...(target.get(name) ?? []), relativePath]);
      // A compute or definition file that appears or vanishes changes what the config can resolve.
      if (appearedOrVanished && rest.length <= 1) batch.config = true;
      return;
    }
    case "modules":
      batch.modules.push(relativePath);
      batch.config = true;
      return;
    default:
      return;
  }
}
