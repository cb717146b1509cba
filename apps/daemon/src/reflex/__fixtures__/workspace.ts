import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

/** A temp workspace holding `yaml` as nerve.yaml, with a compute file per sense and an index per workflow. */
export function tempWorkspace(yaml: string): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), "nerve-reflex-"));
  writeWorkspace(root, yaml);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes nerve.yaml and the files its senses and workflows need. */
export function writeWorkspace(root: string, yaml: string): void {
  const doc = (parse(yaml) ?? {}) as {
    senses?: Record<string, unknown>;
    workflows?: Record<string, unknown>;
  };
  for (const name of Object.keys(doc.senses ?? {})) {
    mkdirSync(join(root, "senses", name), { recursive: true });
    writeFileSync(join(root, "senses", name, "compute.ts"), "export const compute = () => null;\n");
  }
  for (const name of Object.keys(doc.workflows ?? {})) {
    mkdirSync(join(root, "workflows", name), { recursive: true });
    writeFileSync(join(root, "workflows", name, "index.ts"), "export default {};\n");
  }
  writeFileSync(join(root, "nerve.yaml"), yaml);
}
