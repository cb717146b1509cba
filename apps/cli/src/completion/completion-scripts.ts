import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Shells `nerve completion` writes a script for. */
export const SHELLS = ["bash", "zsh"] as const;
export type Shell = (typeof SHELLS)[number];

/** The scripts live as plain shell files beside the workspace template. */
const SCRIPTS_DIR = new URL("../../templates/completion/", import.meta.url);

/** The completion script for `shell` (apps/cli/templates/completion/nerve.<shell>). */
export function completionScript(shell: Shell): string {
  return readFileSync(fileURLToPath(new URL(`nerve.${shell}`, SCRIPTS_DIR)), "utf8");
}

export function isShell(value: string): value is Shell {
  return (SHELLS as readonly string[]).includes(value);
}
