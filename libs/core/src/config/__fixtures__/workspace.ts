import type { WorkspaceFs } from "../config.types.js";

/** An in-memory workspace: the paths given are the files that exist. */
export function workspaceWith(...files: string[]): WorkspaceFs {
  const paths = new Set(files);
  return { isFile: (relativePath) => paths.has(relativePath) };
}

/** A workspace with a compute file for each sense and an index file for each workflow. */
export function workspaceFor(
  senses: readonly string[],
  workflows: readonly string[] = [],
): WorkspaceFs {
  return workspaceWith(
    ...senses.map((name) => `senses/${name}/compute.ts`),
    ...workflows.map((name) => `workflows/${name}/index.ts`),
  );
}

/** Joins lines into a YAML document, so a test can see which line each key is on. */
export function yamlLines(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
