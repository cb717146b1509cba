import type { NameKind } from "../common/nerve-command.js";
import type { CompletionOption, CompletionTree } from "./completion-tree.js";

/** One word the shell may complete to, with what it is (shown by zsh). */
export interface Candidate {
  value: string;
  description?: string;
}

/** Words to offer, or "let the shell complete a folder name" (the value of `--root`). */
export type Completion = { kind: "words"; candidates: Candidate[] } | { kind: "directories" };

/** The workspace's sense or workflow names, for the words being completed. */
export type NameSource = (kind: NameKind, words: readonly string[]) => readonly string[];

/**
 * What may come next on a `nerve` command line. `words` are the words after `nerve`, the last
 * one being the word under the cursor (empty when the cursor follows a space). Walks the
 * command tree along the earlier words (subcommands, options and their values, arguments),
 * then offers what fits where the cursor is, starting with the word typed so far.
 */
export function complete(
  tree: CompletionTree,
  words: readonly string[],
  names: NameSource,
): Completion {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  let node = tree;
  let argIndex = 0;
  let pending: CompletionOption | null = null;
  let afterSeparator = false;
  for (const word of before) {
    if (pending) {
      // Bash splits `--workflow=x` at the `=`: the value is the word after it.
      if (word !== "=") pending = null;
      continue;
    }
    if (word === "--") {
      afterSeparator = true;
      continue;
    }
    if (!afterSeparator && word.startsWith("-")) {
      const option = findOption(node, word);
      if (option?.takesValue && !word.includes("=")) pending = option;
      continue;
    }
    const sub = argIndex === 0 ? node.commands.find((c) => c.name === word) : undefined;
    if (sub) node = sub;
    else argIndex += 1;
  }
  if (pending) return valueCompletion(pending.value, current, words, names);
  if (!afterSeparator && current.startsWith("-")) {
    return matching(
      node.options.flatMap((option) =>
        option.flags
          .filter((flag) => flag.startsWith("--") || current.length <= 2)
          .map((flag) => ({ value: flag, description: option.description })),
      ),
      current,
    );
  }
  if (argIndex === 0 && node.commands.length > 0) {
    return matching(
      node.commands.map((c) => ({ value: c.name, description: c.description })),
      current,
    );
  }
  const kind = node.args[argIndex] ?? (node.variadic ? (node.args.at(-1) ?? null) : null);
  return valueCompletion(kind, current, words, names);
}

function findOption(node: CompletionTree, word: string): CompletionOption | undefined {
  const flag = word.includes("=") ? word.slice(0, word.indexOf("=")) : word;
  return node.options.find((option) => option.flags.includes(flag));
}

function valueCompletion(
  kind: CompletionOption["value"],
  current: string,
  words: readonly string[],
  names: NameSource,
): Completion {
  if (kind === "dir") return { kind: "directories" };
  if (kind === null) return { kind: "words", candidates: [] };
  return matching(
    names(kind, words).map((name) => ({ value: name, description: kind })),
    current,
  );
}

function matching(candidates: Candidate[], prefix: string): Completion {
  return {
    kind: "words",
    candidates: candidates.filter((candidate) => candidate.value.startsWith(prefix)),
  };
}

/**
 * The completion as `nerve __complete` prints it: one `word<TAB>description` per line, or the
 * single line `:dirs` for "complete a folder name".
 */
export function formatCompletion(completion: Completion): string {
  if (completion.kind === "directories") return ":dirs\n";
  return completion.candidates
    .map(({ value, description }) =>
      description ? `${value}\t${description.split("\n")[0]}` : value,
    )
    .map((line) => `${line}\n`)
    .join("");
}
