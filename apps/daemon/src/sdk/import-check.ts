import { join } from "node:path";
import { build, type BuildFailure, type Message } from "esbuild";
import { withEsbuild } from "../process/esbuild-compiler.js";
import { sdkResolution } from "./sdk-plugin.js";

/** A user file to check, and the YAML path of what names it (`senses.cpu`). */
export interface ImportCheckEntry {
  /** Relative to the workspace root. */
  file: string;
  path: string;
}

/** An import that will not resolve at run time. */
export interface ImportProblem {
  /** The YAML path of the sense, workflow or module whose code it is. */
  path: string;
  /** The file holding the import, relative to the workspace root. */
  file: string;
  line: number | null;
  col: number | null;
  /** What is missing, and how to fix it. */
  message: string;
}

/** esbuild's words for an import it could not follow (our plugin's, and its own for local files). */
const UNRESOLVED = /^(cannot find package|Could not resolve)/;

/**
 * Follows the imports of each entry (and of the local files it imports) the way the daemon
 * resolves them, without running or writing anything, and returns every import that will not
 * resolve. Syntax errors are left to the daemon, which reports them when it compiles the file.
 */
export async function checkImports(
  root: string,
  entries: readonly ImportCheckEntry[],
): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  for (const entry of entries) {
    try {
      await withEsbuild(() =>
        build({
          absWorkingDir: root,
          entryPoints: [join(root, entry.file)],
          bundle: true,
          platform: "node",
          format: "esm",
          target: "node20",
          write: false,
          logLevel: "silent",
          plugins: [sdkResolution(root)],
        }),
      );
    } catch (error) {
      const messages = (error as Partial<BuildFailure>).errors;
      if (!Array.isArray(messages)) throw error;
      for (const message of messages) {
        if (UNRESOLVED.test(message.text)) problems.push(toProblem(entry, message));
      }
    }
  }
  return problems;
}

function toProblem(entry: ImportCheckEntry, message: Message): ImportProblem {
  const notes = message.notes.map((note) => note.text).filter((text) => text !== "");
  const text = [message.text, ...notes].join("; ");
  const at = message.location;
  return {
    path: entry.path,
    file: at?.file ?? entry.file,
    line: at?.line ?? null,
    col: at === null ? null : at.column + 1,
    message: text,
  };
}
