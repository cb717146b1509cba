import { expect } from "vitest";
import { nerve, tempDir, type CliRun } from "../../support/cli.js";

/** A workspace made by `nerve init` in a temp folder, and `nerve ... --root` on it. */
export interface TestWorkspace {
  dir: string;
  cli: (args: string[], env?: NodeJS.ProcessEnv) => Promise<CliRun>;
  cleanup: () => void;
}

export async function initWorkspace(): Promise<TestWorkspace> {
  const { dir, cleanup } = tempDir("nerve-wf-");
  const init = await nerve(["init", dir]);
  expect(init.code, init.stderr).toBe(0);
  return {
    dir,
    cli: (args, env) => nerve([...args, "--root", dir], { env }),
    cleanup,
  };
}

/** The stdout of a `--json` command, which must be one JSON document and nothing else. */
export function parseJsonOutput(run: CliRun): unknown {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as unknown;
}

/** Terminal escape sequences (colours): none may appear when output is not for a terminal. */
export const ESCAPE = "\u001b";
